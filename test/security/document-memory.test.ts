/**
 * Distinct documents must not exhaust memory: Apollo's document store (and the APQ cache that
 * feeds it) used to be sized by a document's JSON form while it kept the source text and the
 * token list alive; the fast path's prepared and compiled operations are bounded likewise. The gateway runs in a child process started with --expose-gc (the bench's
 * gateway child, compiled by `npm test`'s build), so its heap can be measured after a full GC.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { COMPILE_AFTER_EXECUTIONS } from '../../src/graphql/prepared-execution';
import { startSandbox, type Sandbox } from '../../src/sandbox';

const CHILD = join(__dirname, '..', '..', 'dist', 'bench', 'gateway-process.js');
const DOCUMENTS = 10_000;
const APQ_REGISTRATIONS = 20_000;
const CONCURRENCY = 8;
const MAX_GROWTH_BYTES = 64 * 1024 * 1024;
/** Distinct ~2 KB operations, each sent until the fast path compiles it. */
const HOT_DOCUMENTS = 120;

jest.setTimeout(600_000);

let sandbox: Sandbox;
let child: ChildProcess;
let url: string;
let nextId = 1;

function call<T>(cmd: string): Promise<T> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const onMessage = (message: { type?: string; id?: number; ok?: boolean; result?: T; error?: string }) => {
      if (message?.type !== 'reply' || message.id !== id) return;
      child.off('message', onMessage);
      if (message.ok) resolve(message.result as T);
      else reject(new Error(message.error));
    };
    child.on('message', onMessage);
    child.send({ type: 'call', id, cmd });
  });
}

async function heapAfterGc(): Promise<number> {
  for (let i = 0; i < 3; i++) await call('gc');
  const stats = await call<{ memory: NodeJS.MemoryUsage }>('stats');
  return stats.memory.heapUsed;
}

beforeAll(async () => {
  expect(existsSync(CHILD)).toBe(true); // `npm test` builds dist/ first
  sandbox = await startSandbox({ historySize: 0 });
  child = fork(CHILD, [], {
    env: {
      ...process.env,
      BENCH_UPSTREAM_URL: sandbox.url,
      BENCH_API_KEY: sandbox.demo.apiKey,
      BENCH_ACCOUNT_ID: sandbox.demo.accountId,
      BENCH_LOG_LEVEL: 'silent',
    },
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`gateway child exited with ${code}`)));
    child.on('message', (message: { type?: string; info?: { url: string } }) => {
      if (message?.type === 'ready' && message.info) resolve(message.info.url);
    });
  });
});

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
  await sandbox?.close();
});

/** A valid ~30 KB document, distinct per index (100 long aliases of `__typename`). */
function largeDocument(index: number): string {
  const alias = (n: number) => `a${index}_${n}_${'x'.repeat(280)}`;
  return `query L${index} { ${Array.from({ length: 100 }, (_, n) => `${alias(n)}: __typename`).join(' ')} }`;
}

/** A ~2 KB document the fast path compiles once it has run COMPILE_AFTER_EXECUTIONS times. */
function hotDocument(index: number): string {
  return `query H${index} { ${Array.from({ length: 30 }, (_, n) => `h${index}_${n}_${'z'.repeat(48)}: __typename`).join(' ')} }`;
}

/** A ~2 KB document for APQ registration. */
function apqDocument(index: number): string {
  return `query P${index} { p${index}_${'y'.repeat(2_000)}: __typename }`;
}

async function post(body: unknown): Promise<number> {
  const res = await request(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await res.body.text();
  return res.statusCode;
}

async function runAll(count: number, send: (index: number) => Promise<number>): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < count; i = next++) {
        const status = await send(i);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    }),
  );
  return statuses;
}

it(`keeps heap growth under 64 MB after ${DOCUMENTS} distinct ~30 KB documents, ${APQ_REGISTRATIONS} APQ registrations and ${HOT_DOCUMENTS} compiled operations`, async () => {
  await runAll(50, (i) => post({ query: `{ w${i}: __typename }` })); // warm up
  const before = await heapAfterGc();

  const documents = await runAll(DOCUMENTS, (i) => post({ query: largeDocument(i) }));
  expect(Object.fromEntries(documents)).toEqual({ 200: DOCUMENTS });
  const afterDocuments = await heapAfterGc();

  const registrations = await runAll(APQ_REGISTRATIONS, (i) => {
    const query = apqDocument(i);
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    return post({ query, extensions: { persistedQuery: { version: 1, sha256Hash } } });
  });
  expect(Object.fromEntries(registrations)).toEqual({ 200: APQ_REGISTRATIONS });
  const afterApq = await heapAfterGc();

  // Each sent until compiled: more than the prepared operations' budget holds.
  const sends = COMPILE_AFTER_EXECUTIONS + 2;
  const hot = await runAll(HOT_DOCUMENTS * sends, (i) => post({ query: hotDocument(i % HOT_DOCUMENTS) }));
  expect(Object.fromEntries(hot)).toEqual({ 200: HOT_DOCUMENTS * sends });
  const after = await heapAfterGc();

  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  process.stdout.write(
    `document memory: heap ${mb(before)} MB → ${mb(afterDocuments)} MB after documents → ${mb(afterApq)} MB after APQ → ${mb(after)} MB after compiled operations (+${mb(after - before)} MB)\n`,
  );
  expect(after - before).toBeLessThan(MAX_GROWTH_BYTES);
});
