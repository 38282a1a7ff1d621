/**
 * `npm run supergraph -- --out FILE --url NAME=URL…`: the compiled script writes a clean
 * supergraph SDL (nothing but SDL) with the given routing URLs, and a real router
 * (@apollo/gateway) loads that very file and serves the supergraph over HTTP, resolving the
 * example consumer's references through the credits gateway's /subgraph.
 * (`npm test` builds dist/ before jest runs.)
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { parse } from 'graphql';
import { demoActions } from '../../scripts/example-consumer-subgraph';
import { DEFAULT_SEED } from '../../src/sandbox';
import { postJson, startHarness, type Harness } from '../support/harness';
import { silentLogger, startConsumerSubgraph, withoutSecurityFeatures, type ConsumerSubgraph } from './helpers';

const run = promisify(execFile);
const script = join(__dirname, '..', '..', 'dist', 'scripts', 'print-supergraph.js');

let harness: Harness;
let consumer: ConsumerSubgraph;
let dir: string;
beforeAll(async () => {
  harness = await startHarness({ sandbox: { seed: DEFAULT_SEED } }); // the seed `npm start` uses
  consumer = await startConsumerSubgraph();
  dir = mkdtempSync(join(tmpdir(), 'supergraph-'));
});
afterAll(async () => {
  await consumer?.close();
  await harness?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('supergraph file', () => {
  it('is written by --out as SDL only, with the --url routing URLs, and served by a router over real HTTP', async () => {
    expect(existsSync(script)).toBe(true); // fail loudly when the build step did not run
    const file = join(dir, 'supergraph.graphql');
    const creditsUrl = `${harness.url}/subgraph`;
    await run(process.execPath, [
      script,
      '--out',
      file,
      '--url',
      `credits=${creditsUrl}`,
      '--url',
      `ai-actions=${consumer.url}`,
    ]);
    const sdl = readFileSync(file, 'utf8');
    expect(sdl.startsWith('schema')).toBe(true);
    expect(() => parse(sdl)).not.toThrow();
    expect(sdl).toContain(`@join__graph(name: "credits", url: "${creditsUrl}")`);
    expect(sdl).toContain(`@join__graph(name: "ai-actions", url: "${consumer.url}")`);

    // The consumer references the demo account's newest transactions, as `npm run example:consumer` does.
    consumer.actions = demoActions();
    const newest = harness.sandbox.transactionsOf(harness.sandbox.demo.accountId);
    const byId = new Map(newest.map((tx) => [tx.id, tx]));
    const gateway = new ApolloGateway({ supergraphSdl: withoutSecurityFeatures(sdl), logger: silentLogger });
    const router = new ApolloServer({ gateway, logger: silentLogger });
    const { url } = await startStandaloneServer(router, { listen: { host: '127.0.0.1', port: 0 } });
    try {
      const res = await postJson(url, {
        query: '{ aiActions { id prompt creditTransaction { id description amount { credits } } } }',
      });
      expect(res.status).toBe(200);
      const body = JSON.parse(res.raw) as {
        data?: {
          aiActions: {
            id: string;
            creditTransaction: { id: string; description: string | null; amount: { credits: number } | null } | null;
          }[];
        };
        errors?: unknown[];
      };
      expect(body.errors).toBeUndefined();
      expect(body.data?.aiActions).toHaveLength(3);
      for (const action of body.data!.aiActions) {
        const tx = byId.get(action.creditTransaction!.id);
        expect(tx).toBeDefined();
        expect(action.creditTransaction!.description).toBe(tx!.description ?? null);
        expect(action.creditTransaction!.amount?.credits).toEqual(expect.any(Number));
      }
    } finally {
      await router.stop();
    }
  });

  it('refuses an unknown subgraph name or a URL that is not http(s) with exit code 2 and a usage line', async () => {
    for (const bad of [['--url', 'nope=http://x:1/'], ['--url', 'credits=ftp://x'], ['--bogus']]) {
      const failed = await run(process.execPath, [script, ...bad]).then(
        () => null,
        (error: { code?: number; stderr?: string }) => error,
      );
      expect(failed?.code).toBe(2);
      expect(failed?.stderr).toMatch(/usage: npm run supergraph/);
    }
  });
});
