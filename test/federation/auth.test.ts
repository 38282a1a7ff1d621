/**
 * The subgraph SDL carries the auth rules for a router (@authenticated, @requiresScopes), the
 * supergraph keeps them, and /subgraph enforces them itself when the router propagates the
 * caller's token — through @apollo/gateway and when called directly.
 */
import { startHarness, type Harness } from '../support/harness';
import {
  bearer,
  jwtAuthConfig,
  mintToken,
  signingKey,
  startJwksServer,
  type JwksServer,
  type SigningKey,
} from '../support/jwt';
import {
  ENTITIES_QUERY,
  representations,
  startConsumerSubgraph,
  startFederatedGateway,
  type ConsumerSubgraph,
  type FederatedGateway,
} from './helpers';

describe('auth directives through a supergraph', () => {
  let jwks: JwksServer;
  let key: SigningKey;
  let harness: Harness;
  let consumer: ConsumerSubgraph;
  let router: FederatedGateway;

  beforeAll(async () => {
    key = await signingKey('fed-1');
    jwks = await startJwksServer([key]);
    harness = await startHarness({ config: { auth: jwtAuthConfig(jwks.url) } });
    consumer = await startConsumerSubgraph();
    router = await startFederatedGateway(`${harness.url}/subgraph`, consumer.url);
  });
  afterAll(async () => {
    await router.close();
    await consumer.close();
    await harness.close();
    await jwks.close();
  });
  beforeEach(() => harness.sandbox.counters.reset());

  it('the supergraph carries @authenticated and @requiresScopes on the credits fields', () => {
    expect(router.supergraphSdl).toMatch(
      /creditBalance: CreditBalance! @join__field\(graph: CREDITS\) @authenticated @requiresScopes\(scopes: \[\["credits:read"\]\]\)|creditBalance: CreditBalance! .*@authenticated.*@requiresScopes\(scopes: \[\["credits:read"\]\]\)/,
    );
    expect(router.supergraphSdl).toMatch(
      /chargeCredits\(input: ChargeCreditsInput!\): ChargeCreditsResult! .*@requiresScopes\(scopes: \[\["credits:charge"\]\]\)/,
    );
  });

  it('through the router: a read token reads; a charge-only token is FORBIDDEN by the subgraph with no upstream call', async () => {
    const read = await router.query<{ creditBalance: { availableCredits: number } }>(
      '{ creditBalance { availableCredits } }',
      bearer(await mintToken(key, { scope: 'credits:read' })),
    );
    expect(read.data).toEqual({ creditBalance: { availableCredits: 290 } });
    harness.sandbox.counters.reset();
    const denied = await router.query(
      '{ creditBalance { availableCredits } }',
      bearer(await mintToken(key, { scope: 'credits:charge' })),
    );
    expect(JSON.stringify(denied.errors)).toContain('FORBIDDEN');
    expect(harness.sandbox.counters.total()).toBe(0);
  });

  it('called directly, /subgraph refuses fields without a token (UNAUTHENTICATED) and invalid tokens (401), with no upstream call', async () => {
    const none = await harness.graphql('{ creditBalance { availableCredits } }', undefined, { path: '/subgraph' });
    expect(none.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const invalid = await harness.graphql('{ creditBalance { availableCredits } }', undefined, {
      path: '/subgraph',
      headers: bearer('x.y.z'),
    });
    expect(invalid.status).toBe(401);
    expect(harness.sandbox.counters.total()).toBe(0);
  });

  it('_entities needs credits:read too', async () => {
    const id = harness.sandbox.transactionsOf(harness.sandbox.demo.accountId)[0]!.id;
    const denied = await harness.graphql(
      ENTITIES_QUERY,
      { representations: representations([id]) },
      { path: '/subgraph', headers: bearer(await mintToken(key, { scope: 'credits:charge' })) },
    );
    expect(denied.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(harness.sandbox.counters.total()).toBe(0);
    const allowed = await harness.graphql<{ _entities: { id: string }[] }, unknown>(
      ENTITIES_QUERY,
      { representations: representations([id]) },
      {
        path: '/subgraph',
        headers: bearer(await mintToken(key, { scope: 'credits:read' })),
      },
    );
    expect(allowed.body.data?._entities[0]?.id).toBe(id);
  });
});
