/**
 * Benchmark child: one rung of the cost ledger, chosen by BENCH_RUNG. Every rung answers
 * `{ creditBalance { availableCredits } }` on POST /graphql with the same data as the raw proxy,
 * making the same upstream balance call over the same undici Pool settings; each adds one layer:
 *   fastify         Fastify route, no GraphQL (the body is parsed and ignored)
 *   apollo-http     Apollo Server's executeHTTPGraphQLRequest on bare node:http, hand-written SDL schema
 *   apollo-fastify  Apollo Server through @as-integrations/fastify, the same hand-written schema
 *   type-graphql    as apollo-fastify, with the gateway's own type-graphql API schema and resolvers
 *                   (the resolver reads ctx.reader.balance(); here a bare upstream call stands behind it)
 * The raw proxy (raw-proxy-process) is the rung below, the full gateway (gateway-process) the one above.
 * Environment: BENCH_RUNG, BENCH_UPSTREAM_URL, BENCH_API_KEY, BENCH_ACCOUNT_ID.
 */
import 'reflect-metadata';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap, type BaseContext } from '@apollo/server';
import { fastifyApolloHandler } from '@as-integrations/fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import { buildSchema, type GraphQLSchema } from 'graphql';
import { Pool } from 'undici';
import { UNRESTRICTED_CALLER } from '../src/auth/caller';
import { buildApiSchema } from '../src/graphql/schema';
import { CREDIT_TRANSACTIONS_PATH, type WixGetBalanceResponse } from '../src/wix/wix-json';
import { serveChild } from './ipc';
import { RUNGS, type Rung } from './rungs';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const HAND_WRITTEN_SDL = `
  type CreditAmount { balance: Float! cap: Float }
  type CreditBalance { periodicCredits: CreditAmount! topUpCredits: CreditAmount! availableCredits: Float! }
  type Query { creditBalance: CreditBalance! }
`;

interface Balance {
  periodicCredits: { balance: number; cap: number | null };
  topUpCredits: { balance: number; cap: number | null };
  availableCredits: number;
  breakdown: never[];
}

serveChild<{ url: string; rung: Rung }>(async () => {
  const rung = required('BENCH_RUNG') as Rung;
  if (!RUNGS.includes(rung)) throw new Error(`BENCH_RUNG must be one of ${RUNGS.join(', ')}`);
  const base = new URL(required('BENCH_UPSTREAM_URL'));
  const balancePath = `${base.pathname.replace(/\/+$/, '')}${CREDIT_TRANSACTIONS_PATH}/balance`;
  const headers = {
    authorization: required('BENCH_API_KEY'),
    'wix-account-id': required('BENCH_ACCOUNT_ID'),
    accept: 'application/json',
    'content-type': 'application/json',
  };
  const pool = new Pool(base.origin, { connections: 64, keepAliveTimeout: 30_000, pipelining: 1 });

  async function balance(): Promise<Balance> {
    const res = await pool.request({ method: 'POST', path: balancePath, headers, body: '{}' });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`upstream answered ${res.statusCode}`);
    const json = JSON.parse(text) as WixGetBalanceResponse;
    const periodic = Number(json.periodicCredits?.balance ?? 0);
    const topUp = Number(json.topUpCredits?.balance ?? 0);
    return {
      periodicCredits: { balance: periodic, cap: null },
      topUpCredits: { balance: topUp, cap: null },
      availableCredits: periodic + topUp,
      breakdown: [],
    };
  }

  const handWritten = async (): Promise<GraphQLSchema> => {
    const schema = buildSchema(HAND_WRITTEN_SDL);
    const field = schema.getQueryType()?.getFields().creditBalance;
    if (!field) throw new Error('creditBalance missing from the hand-written schema');
    field.resolve = () => balance();
    return schema;
  };

  let close: () => Promise<void>;
  let url: string;
  if (rung === 'apollo-http') {
    const apollo = new ApolloServer<BaseContext>({ schema: await handWritten(), introspection: false });
    await apollo.start();
    const server = createServer((req, res) => void serveApollo(apollo, req, res));
    url = await listenNode(server);
    close = async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await apollo.stop();
    };
  } else {
    const app: FastifyInstance = Fastify({ logger: false });
    if (rung === 'fastify') {
      app.post('/graphql', async () => ({
        data: { creditBalance: { availableCredits: (await balance()).availableCredits } },
      }));
    } else {
      const schema = rung === 'type-graphql' ? buildApiSchema() : await handWritten();
      const apollo = new ApolloServer<BaseContext>({ schema, introspection: false });
      await apollo.start();
      // The type-graphql resolver reads ctx.reader.balance() (and the scope check ctx.caller): the same bare call stands behind it.
      const context = async () => ({ caller: UNRESTRICTED_CALLER, reader: { balance } });
      app.route({ method: ['GET', 'POST'], url: '/graphql', handler: fastifyApolloHandler(apollo, { context }) });
      app.addHook('onClose', () => apollo.stop());
    }
    await app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    close = () => app.close();
  }
  return {
    info: { url, rung },
    close: async () => {
      await close();
      await pool.close();
    },
  };
});

function listenNode(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

/** The smallest correct node:http integration of Apollo Server: what @as-integrations/* do, minus the framework. */
async function serveApollo(
  apollo: ApolloServer<BaseContext>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  let body: unknown;
  try {
    body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
  } catch {
    res.writeHead(400, { 'content-type': 'text/plain' }).end('invalid JSON');
    return;
  }
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const response = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: q < 0 ? '' : url.slice(q + 1), body },
    context: async () => ({}),
  });
  const out: Record<string, string> = {};
  for (const [key, value] of response.headers) out[key] = value;
  if (response.body.kind === 'complete') {
    res.writeHead(response.status ?? 200, out).end(response.body.string);
    return;
  }
  res.writeHead(response.status ?? 200, out);
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}
