/**
 * Federation test helpers: the example "ai-actions" consumer subgraph served for real on port 0,
 * an @apollo/gateway in front of it and the credits gateway's /subgraph (propagating the
 * caller's Wix headers as Apollo Router's `headers: propagate` rules do), and `_entities` calls.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import type { IncomingHttpHeaders } from 'node:http';
import {
  composeWithExampleConsumer,
  startExampleConsumer,
  type ExampleConsumer,
} from '../../scripts/example-consumer-subgraph';
import { postJson } from '../support/harness';

export const SCHEMA_FILE = join(__dirname, '..', '..', 'schema', 'schema.graphql');
export const committedSubgraphSdl = (): string => readFileSync(SCHEMA_FILE, 'utf8');

/** The headers the router must propagate to the credits subgraph (docs/federation.md). */
export const PROPAGATED_HEADERS = ['authorization', 'wix-account-id', 'wix-site-id'] as const;

export const silentLogger = { debug() {}, info() {}, warn() {}, error() {} };

export type { AiAction, ExampleConsumer as ConsumerSubgraph } from '../../scripts/example-consumer-subgraph';

/** The example "ai-actions" consumer on port 0; tests set `actions` before each query. */
export const startConsumerSubgraph = (): Promise<ExampleConsumer> =>
  startExampleConsumer({ host: '127.0.0.1', port: 0 });

interface RouterContext {
  headers: IncomingHttpHeaders;
}

/** One subgraph fetch of the router, as the subgraph answered it. */
export interface SubgraphFetch {
  url: string;
  query: string;
  data: Record<string, unknown> | null | undefined;
  errors: readonly unknown[] | undefined;
}

/**
 * Header propagation as Apollo Router does it: the caller's Wix headers go to every subgraph.
 * Records every subgraph answer so tests can see `_entities` results before the router merges them.
 */
class HeaderPropagatingDataSource extends RemoteGraphQLDataSource<RouterContext> {
  constructor(
    url: string,
    private readonly fetches: SubgraphFetch[],
  ) {
    super({ url });
  }

  override didReceiveResponse({
    request,
    response,
  }: Parameters<NonNullable<RemoteGraphQLDataSource<RouterContext>['didReceiveResponse']>>[0]) {
    this.fetches.push({ url: this.url, query: request.query ?? '', data: response.data, errors: response.errors });
    return response;
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<RouterContext>): void {
    const headers = (context as Partial<RouterContext>).headers ?? {};
    for (const name of PROPAGATED_HEADERS) {
      const value = headers[name];
      if (typeof value === 'string') request.http?.headers.set(name, value);
    }
  }
}

export interface FederatedGateway {
  url: string;
  supergraphSdl: string;
  /** Subgraph answers since the last `query` call. */
  fetches: SubgraphFetch[];
  query<T>(query: string, headers: Record<string, string>): Promise<{ status: number; data?: T; errors?: unknown[] }>;
  close(): Promise<void>;
}

/**
 * @apollo/gateway 2.14 refuses supergraphs whose `@link`s are `for: SECURITY` (the
 * `@authenticated`/`@requiresScopes` features that Apollo Router enforces). Our test router runs
 * without those links; the directives stay in the SDL and the credits subgraph enforces them.
 */
export function withoutSecurityFeatures(supergraphSdl: string): string {
  return supergraphSdl.replace(/\n\s*@link\(url: "[^"]+", for: SECURITY\)/g, '');
}

export async function startFederatedGateway(
  creditsSubgraphUrl: string,
  consumerUrl: string,
): Promise<FederatedGateway> {
  const supergraphSdl = composeWithExampleConsumer(committedSubgraphSdl(), {
    credits: creditsSubgraphUrl,
    consumer: consumerUrl,
  });
  const fetches: SubgraphFetch[] = [];
  const gateway = new ApolloGateway({
    supergraphSdl: withoutSecurityFeatures(supergraphSdl),
    logger: silentLogger,
    buildService: ({ url }) => new HeaderPropagatingDataSource(url!, fetches),
  });
  const server = new ApolloServer<RouterContext>({ gateway, logger: silentLogger });
  const { url } = await startStandaloneServer(server, {
    listen: { host: '127.0.0.1', port: 0 },
    context: async ({ req }) => ({ headers: req.headers }),
  });
  return {
    url,
    supergraphSdl,
    fetches,
    async query<T>(query: string, headers: Record<string, string>) {
      fetches.length = 0;
      const res = await postJson(url, { query }, headers);
      const body = JSON.parse(res.raw) as { data?: T; errors?: unknown[] };
      return { status: res.status, ...body };
    },
    close: () => server.stop(),
  };
}

export const ENTITIES_QUERY = `query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on CreditTransaction { id description }
  }
}`;

export type EntityResult = { id: string; description: string | null } | null;

export const representations = (ids: readonly string[]) => ids.map((id) => ({ __typename: 'CreditTransaction', id }));

/** Ids that no account has. */
export const unknownIds = (n: number): string[] => Array.from({ length: n }, () => randomUUID());

export const idsOf = (txs: readonly { id: string }[]): string[] => txs.map((tx) => tx.id);

/** Interleaves lists (a0, b0, c0, a1, …) so that order preservation is tested across kinds. */
export function interleave<T>(...lists: T[][]): T[] {
  const out: T[] = [];
  const longest = Math.max(...lists.map((l) => l.length));
  for (let i = 0; i < longest; i++) for (const list of lists) if (i < list.length) out.push(list[i]!);
  return out;
}
