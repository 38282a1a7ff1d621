/**
 * An example consumer subgraph ("ai-actions") that references CreditTransaction by key, and
 * composition of it with the credits subgraph. Used by `npm run supergraph`
 * (scripts/print-supergraph.ts) and by the federation tests (test/federation/), so that the
 * example in docs and the one under test are the same SDL.
 */
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';

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
