/**
 * "Rejections are cheap": in one process, the gateway (createGateway, demo credentials) on the
 * embedded sandbox, requests sent with Fastify's inject (no sockets, so only gateway work is
 * timed). For each document at a limit, N rejections are timed against N served
 * `{ creditBalance { availableCredits } }` queries (document cached after the first; each one
 * reads the balance from the sandbox over loopback). Prints mean µs per request and reject/serve.
 * Usage: npm run bench:hostile [-- N]   (default N = 2000)
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { createGateway } from '../src/gateway';
import { startSandbox } from '../src/sandbox';

const N = Number(process.argv[2] ?? 2_000);
const WARMUP = 200;

const deepIntrospection = (levels: number): string => {
  const fields = ['__schema', 'types', 'fields', 'type', ...Array.from({ length: levels - 5 }, () => 'ofType')];
  return `${fields.join(' { ')} { name${' }'.repeat(fields.length)}`;
};

function fragmentExplosion(count: number): string {
  const parts = ['query Explode { ...F0 }'];
  for (let i = 0; i < count - 1; i++) parts.push(`fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`);
  parts.push(`fragment F${count - 1} on Query { ${deepIntrospection(16)} }`);
  return parts.join('\n');
}

function cost101(): string {
  const ten = Array.from({ length: 10 }, (_, i) => `b${i}: creditBalance { availableCredits }`).join(' ');
  const spreads = Array.from({ length: 10 }, (_, i) => `t${i}: __typename ...Ten`).join(' ');
  return `query Costly { ${spreads} ...One }\nfragment Ten on Query { ${ten} }\nfragment One on Query { r: creditBalance { availableCredits } }`;
}

const charge = (alias: string) =>
  `${alias}: chargeCredits(input: { credits: 1, idempotencyKey: "${crypto.randomUUID()}" }) { __typename }`;

const HOSTILE: [string, string][] = [
  ['depth 16 (introspection)', `{ ${deepIntrospection(16)} }`],
  ['31 aliases', `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: __typename`).join(' ')} }`],
  ['2,101 tokens', `{ ${'__typename '.repeat(2_099)}}`],
  // Just under MAX_TOKENS: parses, then graphql-js validation gives up on 1,998 fields ('Validation aborted.').
  ['1,998 fields (2,000 tokens)', `{ ${'__typename '.repeat(1_998)}}`],
  ['cost 101', cost101()],
  ['fragment explosion 40', fragmentExplosion(40)],
  ['two chargeCredits', `mutation { ${charge('a')} ${charge('b')} }`],
];
const SERVE = '{ creditBalance { availableCredits } }';

async function main(): Promise<void> {
  const sandbox = await startSandbox({ seed: 7 });
  const gateway = await createGateway({
    config: {
      host: '127.0.0.1',
      port: 0,
      wixBaseUrl: sandbox.url,
      attemptTimeoutMs: 2_000,
      requestDeadlineMs: 8_000,
      chargeSettleMs: 200,
      redisUrl: null,
      routerSecret: null,
      cursorSecret: null,
      introspection: true, // so depth is what rejects the introspection documents
      landingPage: false,
      includeStacktrace: false,
      corsOrigins: [],
      logLevel: 'silent',
      // The defaults: MAX_DEPTH 15, MAX_ALIASES 30, MAX_TOKENS 2,000, MAX_BODY_BYTES 64 KiB, MAX_COST 100.
      limits: { maxDepth: 15, maxAliases: 30, maxTokens: 2_000, maxBodyBytes: 64 * 1024, maxCost: 100 },
    },
    credentialSource: {
      kind: 'server',
      credentials: { authorization: sandbox.demo.apiKey, accountId: sandbox.demo.accountId },
    },
    collectDefaultMetrics: false,
  });
  await gateway.app.ready();

  const send = async (query: string): Promise<number> => {
    const res = await gateway.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ query }),
    });
    return res.statusCode;
  };
  const run = async (query: string, expected: number, times: number): Promise<void> => {
    for (let i = 0; i < times; i++) {
      const status = await send(query);
      if (status !== expected) throw new Error(`expected ${expected}, got ${status} for ${query.slice(0, 60)}`);
    }
  };
  const time = async (query: string, expected: number): Promise<number> => {
    const started = performance.now();
    await run(query, expected, N);
    return ((performance.now() - started) * 1_000) / N;
  };

  try {
    // Warm every path first, so no row pays for the JIT.
    await run(SERVE, 200, WARMUP);
    for (const [, document] of HOSTILE) await run(document, 400, WARMUP);
    const serveBefore = await time(SERVE, 200);
    const rejects: [string, number][] = [];
    for (const [name, document] of HOSTILE)
      rejects.push([`reject: ${name} (${document.length} B)`, await time(document, 400)]);
    const serveAfter = await time(SERVE, 200);
    const serveUs = (serveBefore + serveAfter) / 2; // the baseline: served before and after the rejections
    const rows = [
      ['served creditBalance (before)', serveBefore.toFixed(1), (serveBefore / serveUs).toFixed(2)],
      ['served creditBalance (after)', serveAfter.toFixed(1), (serveAfter / serveUs).toFixed(2)],
      ...rejects.map(([name, us]) => [name, us.toFixed(1), (us / serveUs).toFixed(2)]),
    ];
    const width = Math.max(...rows.map((r) => r[0]!.length));
    console.log(`N = ${N} sequential requests each (after ${WARMUP} warm-up), Fastify inject, one process`);
    console.log(`${'document'.padEnd(width)}  mean µs  ratio to mean serve`);
    for (const [name, us, ratio] of rows)
      console.log(`${name!.padEnd(width)}  ${us!.padStart(7)}  ${ratio!.padStart(19)}`);
  } finally {
    await gateway.close();
    await sandbox.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
