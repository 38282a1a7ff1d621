/**
 * Composition: the committed subgraph SDL (schema/schema.graphql) composes into a supergraph
 * with the example consumer subgraph that references CreditTransaction by key.
 */
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import {
  composeWithExampleConsumer,
  CompositionFailed,
  CREDITS_SUBGRAPH_NAME,
  EXAMPLE_CONSUMER_NAME,
  EXAMPLE_CONSUMER_SDL,
} from '../../scripts/example-consumer-subgraph';
import { committedSubgraphSdl } from './helpers';

describe('federation composition', () => {
  it('schema/schema.graphql links Federation 2.5 (the first with @authenticated/@requiresScopes) and marks CreditTransaction @key(fields: "id")', () => {
    const sdl = committedSubgraphSdl();
    expect(sdl).toMatch(
      /^extend schema @link\(url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.5", import: \["@key", "@authenticated", "@requiresScopes"\]\)/,
    );
    expect(sdl).toMatch(/type CreditTransaction @key\(fields: "id"\) \{/);
  });

  it('composes schema/schema.graphql with the ai-actions consumer subgraph without any composition error', () => {
    const result = composeServices([
      {
        name: CREDITS_SUBGRAPH_NAME,
        typeDefs: parse(committedSubgraphSdl()),
        url: 'http://credits-gateway:4000/subgraph',
      },
      { name: EXAMPLE_CONSUMER_NAME, typeDefs: parse(EXAMPLE_CONSUMER_SDL), url: 'http://ai-actions:4001/graphql' },
    ]);
    expect(result.errors?.map((e) => e.message) ?? []).toEqual([]);
    const supergraph = result.supergraphSdl ?? '';
    // CreditTransaction is resolvable by key in credits, a key-only reference in ai-actions.
    expect(supergraph).toContain('@join__type(graph: CREDITS, key: "id")');
    expect(supergraph).toContain('@join__type(graph: AI_ACTIONS, key: "id", resolvable: false)');
    expect(supergraph).toContain('@join__graph(name: "credits", url: "http://credits-gateway:4000/subgraph")');
    // The API of the supergraph keeps the credits fields on the consumer's reference.
    expect(supergraph).toMatch(/creditTransaction: CreditTransaction/);
    expect(supergraph).toMatch(/type CreditTransaction[^{]*\{[^}]*description: String[^}]*\}/);
  });

  it('the shared composition helper used by `npm run supergraph` yields the same supergraph and reports composition errors', () => {
    const supergraph = composeWithExampleConsumer(committedSubgraphSdl());
    expect(supergraph).toContain('@join__type(graph: CREDITS, key: "id")');
    // A consumer-incompatible credits SDL (id of another type) must fail, not print a supergraph.
    const broken = committedSubgraphSdl().replace(
      /type CreditTransaction @key\(fields: "id"\) \{\n {2}id: ID!/,
      'type CreditTransaction @key(fields: "id") {\n  id: Int!',
    );
    expect(() => composeWithExampleConsumer(broken)).toThrow(CompositionFailed);
  });
});
