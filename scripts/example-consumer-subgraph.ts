/**
 * An example consumer subgraph ("ai-actions") that references CreditTransaction by key, and
 * composition of it with the credits subgraph. Used by `npm run supergraph`
 * (scripts/print-supergraph.ts) and by the federation tests (test/federation/), so that the
 * example in docs and the one under test are the same SDL.
 *
 * Run on its own (`npm run example:consumer`, PORT default 4001): it serves three actions that
 * reference the embedded sandbox demo account's newest transactions, so a router over it and
 * `npm start` answers with real credits data.
 */
import { composeServices } from '@apollo/composition';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { generateHistory } from '../src/sandbox/seed';
import { DEFAULT_HISTORY_SIZE, DEFAULT_SEED } from '../src/sandbox';

export const CREDITS_SUBGRAPH_NAME = 'credits';
export const EXAMPLE_CONSUMER_NAME = 'ai-actions';

/**
 * The consumer holds only the transaction id (`resolvable: false`): the router fetches every
 * other CreditTransaction field from the credits subgraph through `_entities`.
 */
export const EXAMPLE_CONSUMER_SDL = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.0", import: ["@key"])

type Query {
  """AI actions, newest first."""
  aiActions: [AiAction!]!
}

"""One AI action that charged credits."""
type AiAction @key(fields: "id") {
  id: ID!
  prompt: String!
  """The charge this action made; null when it made none."""
  creditTransaction: CreditTransaction
}

type CreditTransaction @key(fields: "id", resolvable: false) {
  id: ID!
}
`;

export interface SubgraphUrls {
  credits: string;
  consumer: string;
}

export const EXAMPLE_URLS: SubgraphUrls = {
  credits: 'http://credits-gateway:4000/subgraph',
  consumer: 'http://ai-actions:4001/graphql',
};

export class CompositionFailed extends Error {
  constructor(readonly messages: string[]) {
    super(`composition failed:\n${messages.map((m) => `  - ${m}`).join('\n')}`);
    this.name = 'CompositionFailed';
  }
}

/** Composes the credits subgraph SDL with the example consumer; throws on any composition error. */
export function composeWithExampleConsumer(creditsSdl: string, urls: SubgraphUrls = EXAMPLE_URLS): string {
  const result = composeServices([
    { name: CREDITS_SUBGRAPH_NAME, typeDefs: parse(creditsSdl), url: urls.credits },
    { name: EXAMPLE_CONSUMER_NAME, typeDefs: parse(EXAMPLE_CONSUMER_SDL), url: urls.consumer },
  ]);
  if (result.errors) throw new CompositionFailed(result.errors.map((e) => e.message));
  return result.supergraphSdl;
}

export interface AiAction {
  id: string;
  prompt: string;
  creditTransactionId: string | null;
}

export interface ExampleConsumer {
  url: string;
  /** What `aiActions` answers; replaceable while it runs. */
  actions: AiAction[];
  close(): Promise<void>;
}

const silentLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** Serves the ai-actions subgraph over HTTP (its GraphQL endpoint is the returned url). */
export async function startExampleConsumer(options: {
  host: string;
  port: number;
  actions?: AiAction[];
}): Promise<ExampleConsumer> {
  const state: { actions: AiAction[] } = { actions: options.actions ?? [] };
  const server = new ApolloServer({
    schema: buildSubgraphSchema({
      typeDefs: parse(EXAMPLE_CONSUMER_SDL),
      resolvers: {
        Query: { aiActions: () => state.actions },
        AiAction: {
          creditTransaction: (action: AiAction) =>
            action.creditTransactionId ? { id: action.creditTransactionId } : null,
        },
      },
    }),
    logger: silentLogger,
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const { url } = await startStandaloneServer(server, { listen: { host: options.host, port: options.port } });
  return {
    url,
    get actions() {
      return state.actions;
    },
    set actions(value: AiAction[]) {
      state.actions = value;
    },
    close: () => server.stop(),
  };
}

/** Three actions referencing the sandbox demo account's newest seeded transactions (ids are deterministic). */
export function demoActions(): AiAction[] {
  const newest = generateHistory(DEFAULT_HISTORY_SIZE, DEFAULT_SEED, Date.now()).slice(-3).reverse();
  return newest.map((tx, i) => ({
    id: `action-${i + 1}`,
    prompt: `${tx.description ?? 'AI action'} #${i + 1}`,
    creditTransactionId: tx.id,
  }));
}

if (require.main === module) {
  const port = Number(process.env.PORT ?? 4001);
  startExampleConsumer({ host: process.env.HOST ?? '127.0.0.1', port, actions: demoActions() })
    .then((consumer) => {
      process.stderr.write(`example consumer subgraph "${EXAMPLE_CONSUMER_NAME}" listening on ${consumer.url}\n`);
      const stop = () => void consumer.close().then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    })
    .catch((error: unknown) => {
      process.stderr.write(
        `example consumer failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exit(1);
    });
}
