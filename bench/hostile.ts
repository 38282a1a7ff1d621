/**
 * "Rejections are cheap": in one process, the gateway (createGateway, demo credentials) on the
 * embedded sandbox, requests sent with Fastify's inject (no sockets, so only gateway work is
 * timed). Each document at a limit is rejected N times, against N served
 * `{ creditBalance { availableCredits } }` queries (document cached; each one reads the balance
 * from the sandbox over loopback, which runs in this process too).
 *
 * Fair in one run: after warm-up, the rows are timed in interleaved rounds (every row gets N/ROUNDS
 * requests per round), so the served baseline and each rejection see the same machine. Both wall
 * time and this process's CPU time are reported per request (each request timed on its own, its
 * body made just before), each with its ratio to serving; the CPU figure is the steadier one on a
 * shared machine.
 *
 * Two passes: "repeated" sends the same text every time; "varied" makes every request's text
 * distinct (operation, alias or fragment names carry the request's number), as an attacker
 * defeating any cache keyed by the document would. Three rows are not over a limit: a document that
 * fails to parse only at its end (the parser reads ~MAX_TOKENS tokens first), and two documents within
 * every limit but invalid, so graphql-js's full validation runs on them.
 *
 * Usage: npm run bench:hostile [-- N]   (default N = 2000; BENCH_LOG_LEVEL, default silent;
 * BENCH_ONLY, a regular expression: only the rows it matches, and serving; BENCH_PASS: `repeated`
 * or `varied` only — for profiling one row with `node --cpu-prof`)
 */
import 'reflect-metadata';
import { Writable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { DEFAULT_LIMITS } from '../src/config';
import { createGateway } from '../src/gateway';
import { startSandbox } from '../src/sandbox';

const N = Number(process.argv[2] ?? 2_000);
const ROUNDS = 5;
const WARMUP = 300;
const ONLY = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : null;
const PASSES = [false, true].filter(
  (varied) => (process.env.BENCH_PASS ?? (varied ? 'varied' : 'repeated')) === (varied ? 'varied' : 'repeated'),
);

const deepIntrospection = (levels: number): string => {
  const fields = ['__schema', 'types', 'fields', 'type', ...Array.from({ length: levels - 5 }, () => 'ofType')];
  return `${fields.join(' { ')} { name${' }'.repeat(fields.length)}`;
};

function fragmentExplosion(count: number, v: string): string {
  const parts = [`query Explode${v} { ...F0${v} }`];
  for (let i = 0; i < count - 1; i++) parts.push(`fragment F${i}${v} on Query { ...F${i + 1}${v} ...F${i + 1}${v} }`);
  parts.push(`fragment F${count - 1}${v} on Query { ${deepIntrospection(16)} }`);
  return parts.join('\n');
}

function cost101(v: string): string {
  const ten = Array.from({ length: 10 }, (_, i) => `b${i}: creditBalance { availableCredits }`).join(' ');
  const spreads = Array.from({ length: 10 }, (_, i) => `t${i}: __typename ...Ten${v}`).join(' ');
  return `query Costly { ${spreads} ...One${v} }\nfragment Ten${v} on Query { ${ten} }\nfragment One${v} on Query { r: creditBalance { availableCredits } }`;
}

const charge = (alias: string) =>
  `${alias}: chargeCredits(input: { credits: 1, idempotencyKey: "${crypto.randomUUID()}" }) { __typename }`;

/** 12 fields, each on its own response key: 16 of them put 16 fields on each of 12 keys. */
const IN_LIMITS_PER_KEY =
  '__schema { queryType { name kind } mutationType { name kind } types { name kind } directives { name } } ';

const T = DEFAULT_LIMITS.maxTokens;
const count = (n: number) => n.toLocaleString('en-US');

/** Name → the document for request number `v` ('' when repeated). */
const HOSTILE: [string, (v: string) => string][] = [
  ['depth 16 (introspection)', (v) => `query Deep${v} { ${deepIntrospection(16)} }`],
  ['31 aliases', (v) => `{ ${Array.from({ length: 31 }, (_, i) => `a${i}${v}: __typename`).join(' ')} }`],
  [`${count(T + 101)} tokens`, (v) => `query Q${v} { ${'__typename '.repeat(T + 97)}}`],
  // Within MAX_TOKENS; MAX_FIELDS (200) rejects it. Before that limit graphql-js's
  // OverlappingFieldsCanBeMerged compared the fields pairwise until it gave up ('Validation aborted.').
  [`${count(T - 4)} fields (${count(T)} tokens)`, (v) => `query Q${v} { ${'__typename '.repeat(T - 4)}}`],
  // Comments are not tokens: MAX_COMMENTS (500) rejects it.
  ['20,000 comments', (v) => `query Q${v} { __typename }\n${'#\n'.repeat(20_000)}`],
  // Within MAX_TOKENS, unterminated: the parser reads it all before refusing it.
  [`syntax error after ${count(T - 2)} tokens`, (v) => `query Q${v} { ${'__typename '.repeat(T - 5)}`],
  ['cost 101', cost101],
  ['fragment explosion 40', (v) => fragmentExplosion(40, v)],
  ['two chargeCredits', (v) => `mutation M${v} { ${charge('a')} ${charge('b')} }`],
  // 199 fields, 466 tokens, invalid: passed every limit until MAX_DUPLICATE_FIELDS (16), 66 on one key.
  ['66 on one key + 1 unknown', (v) => `query Q${v} { ${'__schema { queryType { name } } '.repeat(66)} nope }`],
  ['17 on one key + 1 unknown', (v) => `query Q${v} { ${'__schema { queryType { name } } '.repeat(17)} nope }`],
  // Within every limit but invalid, so graphql-js validates it in full on every request: 16 fields
  // on each of 12 keys (OverlappingFieldsCanBeMerged's worst here), and 199 distinct unknown
  // fields (FieldsOnCorrectType computes a suggestion list for each).
  ['in limits: 16 on each of 12 keys + 1 unknown', (v) => `query Q${v} { ${IN_LIMITS_PER_KEY.repeat(16)} nope }`],
  [
    'in limits: 199 unknown fields',
    (v) => `query Q${v} { ${Array.from({ length: 199 }, (_, i) => `nope${i}`).join(' ')} }`,
  ],
];
const SERVE = '{ creditBalance { availableCredits } }';

interface Row {
  name: string;
  expected: number;
  /** The request body for request number i. */
  payload: (i: number) => string;
  wallMs: number;
  cpuUs: number;
}

async function main(): Promise<void> {
  const sandbox = await startSandbox({ seed: 7 });
  const logLevel = process.env.BENCH_LOG_LEVEL ?? 'silent';
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
      schemaHints: false, // the production default (else it follows introspection)
      landingPage: false,
      includeStacktrace: false,
      corsOrigins: [],
      logLevel,
      // The defaults: MAX_DEPTH 15, MAX_ALIASES 30, MAX_FIELDS 200, MAX_DUPLICATE_FIELDS 16, MAX_TOKENS 1,000, MAX_COMMENTS 500, MAX_BODY_BYTES 64 KiB, MAX_COST 100.
      limits: { ...DEFAULT_LIMITS },
    },
    credentialSource: {
      kind: 'server',
      credentials: { authorization: sandbox.demo.apiKey, accountId: sandbox.demo.accountId },
    },
    collectDefaultMetrics: false,
    // Log lines are formatted as in production, then dropped.
    logStream: new Writable({ write: (_chunk, _encoding, done) => done() }),
  });
  await gateway.app.ready();

  const send = async (payload: string): Promise<number> => {
    const res = await gateway.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json' },
      payload,
    });
    return res.statusCode;
  };
  const run = async (row: Row, from: number, count: number, timed: boolean): Promise<void> => {
    for (let i = 0; i < count; i++) {
      // Each body is made before its clock starts, and only then: a batch of bodies made up front
      // would stay alive for the whole batch, and copying it in every young-generation GC was
      // charged to the large documents' rows.
      const payload = row.payload(from + i);
      const wallStart = performance.now();
      const cpuStart = process.cpuUsage();
      const status = await send(payload);
      if (timed) {
        const cpu = process.cpuUsage(cpuStart);
        row.wallMs += performance.now() - wallStart;
        row.cpuUs += cpu.user + cpu.system;
      }
      if (status !== row.expected) throw new Error(`expected ${row.expected}, got ${status} for ${row.name}`);
    }
  };

  const measure = async (varied: boolean): Promise<Row[]> => {
    const body = (query: string) => JSON.stringify({ query });
    const pick = (make: (v: string) => string) => {
      const fixed = body(make(''));
      return varied ? (i: number) => body(make(`_${i}`)) : () => fixed;
    };
    const rows: Row[] = [
      { name: 'served creditBalance', expected: 200, payload: pick(() => SERVE), wallMs: 0, cpuUs: 0 },
      ...HOSTILE.filter(([name]) => !ONLY || ONLY.test(name)).map(([name, make]) => ({
        name: `reject: ${name} (${make('').length} B)`,
        expected: 400,
        payload: pick(make),
        wallMs: 0,
        cpuUs: 0,
      })),
    ];
    for (const row of rows) await run(row, 0, WARMUP, false); // every path warm before any clock
    const perRound = Math.ceil(N / ROUNDS);
    for (let round = 0; round < ROUNDS; round++) {
      for (const row of rows) await run(row, WARMUP + round * perRound, perRound, true);
    }
    const requests = perRound * ROUNDS;
    for (const row of rows) {
      row.wallMs = (row.wallMs * 1_000) / requests; // now µs per request
      row.cpuUs /= requests;
    }
    return rows;
  };

  try {
    for (const varied of PASSES) {
      const rows = await measure(varied);
      const served = rows[0]!;
      const table = rows.map((row) => [
        row.name,
        row.wallMs.toFixed(1),
        (row.wallMs / served.wallMs).toFixed(2),
        row.cpuUs.toFixed(1),
        (row.cpuUs / served.cpuUs).toFixed(2),
      ]);
      const width = Math.max(...table.map((r) => r[0]!.length));
      console.log(
        `\n${varied ? 'VARIED (every request a distinct text)' : 'REPEATED (same text every request)'}: ` +
          `${ROUNDS} interleaved rounds, ${Math.ceil(N / ROUNDS) * ROUNDS} requests a row after ${WARMUP} warm-up, log level ${logLevel}`,
      );
      console.log(`${'document'.padEnd(width)}  wall µs  ratio   CPU µs  ratio   (ratio: to served, same run)`);
      for (const [name, wall, wallRatio, cpu, cpuRatio] of table) {
        console.log(
          `${name!.padEnd(width)}  ${wall!.padStart(7)}  ${wallRatio!.padStart(5)}  ${cpu!.padStart(7)}  ${cpuRatio!.padStart(5)}`,
        );
      }
    }
  } finally {
    await gateway.close();
    await sandbox.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
