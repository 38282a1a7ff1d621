/**
 * Two paths over one set of resolvers: /graphql serves the API schema (no federation fields,
 * no inline tracing); /subgraph serves the subgraph schema to the router, guarded by
 * ROUTER_SECRET when set.
 */
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import {
  CREDITS_SUBGRAPH_NAME,
  EXAMPLE_CONSUMER_NAME,
  EXAMPLE_CONSUMER_SDL,
} from '../../scripts/example-consumer-subgraph';
import { postJson, startHarness, type Harness } from '../support/harness';
import { committedSubgraphSdl, ENTITIES_QUERY, representations } from './helpers';

const ROUTER_SECRET = 'router-secret-for-tests-0123456789';
const SERVICE_QUERY = '{ _service { sdl } }';

let open: Harness;
let guarded: Harness;

beforeAll(async () => {
  [open, guarded] = await Promise.all([startHarness(), startHarness({ config: { routerSecret: ROUTER_SECRET } })]);
});

afterAll(async () => {
  await Promise.all([open?.close(), guarded?.close()]);
});

const someId = () => open.sandbox.transactionsOf(open.sandbox.demo.accountId)[0]!.id;

describe('/graphql: the API schema', () => {
  it('rejects _entities with a 400 validation error and no upstream call', async () => {
    open.sandbox.counters.reset();
    const inline = await open.graphql(
      `{ _entities(representations: [{ __typename: "CreditTransaction", id: "${someId()}" }]) { __typename } }`,
    );
    expect(inline.status).toBe(400);
    expect(inline.body.data).toBeUndefined();
    expect(inline.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(inline.body.errors?.[0]?.message).toMatch(/Cannot query field "_entities" on type "Query"/);
    // The router's own form (a [_Any!]! variable) fails too: the API schema has no _Any.
    const routerForm = await open.graphql(ENTITIES_QUERY, { representations: representations([someId()]) });
    expect(routerForm.status).toBe(400);
    expect(routerForm.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(open.sandbox.counters.total()).toBe(0);
  });

  it('rejects _service with a 400 validation error', async () => {
    const res = await open.graphql(SERVICE_QUERY);
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.body.errors?.[0]?.message).toMatch(/Cannot query field "_service" on type "Query"/);
  });

  it('does not answer with an inline federation trace even when asked for one', async () => {
    const res = await open.graphql(`{ creditTransaction(id: "${someId()}") { id } }`, undefined, {
      headers: { 'apollo-federation-include-trace': 'ftv1' },
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ creditTransaction: { id: someId() } });
    expect(JSON.parse(res.raw).extensions?.ftv1).toBeUndefined();
  });
});

describe('/subgraph: the subgraph schema for the router', () => {
  it('answers _service { sdl } with the Federation 2 link and CreditTransaction @key(fields: "id")', async () => {
    const res = await open.graphql<{ _service: { sdl: string } }, never>(SERVICE_QUERY, undefined, {
      path: '/subgraph',
    });
    expect(res.status).toBe(200);
    const sdl = res.body.data!._service.sdl;
    expect(sdl).toContain(
      '@link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", "@authenticated", "@requiresScopes"])',
    );
    expect(sdl).toMatch(/type CreditTransaction\s+@key\(fields: "id"\)/);
  });

  it('the SDL the running subgraph serves composes with the consumer into the same supergraph as schema/schema.graphql', async () => {
    const res = await open.graphql<{ _service: { sdl: string } }, never>(SERVICE_QUERY, undefined, {
      path: '/subgraph',
    });
    const compose = (creditsSdl: string) =>
      composeServices([
        { name: CREDITS_SUBGRAPH_NAME, typeDefs: parse(creditsSdl), url: 'http://credits-gateway:4000/subgraph' },
        { name: EXAMPLE_CONSUMER_NAME, typeDefs: parse(EXAMPLE_CONSUMER_SDL), url: 'http://ai-actions:4001/graphql' },
      ]);
    const served = compose(res.body.data!._service.sdl);
    expect(served.errors?.map((e) => e.message) ?? []).toEqual([]);
    expect(served.supergraphSdl).toBe(compose(committedSubgraphSdl()).supergraphSdl);
  });

  it('answers the router (which carries ROUTER_SECRET) with an inline federation trace (ftv1) when it asks for one', async () => {
    const id = guarded.sandbox.transactionsOf(guarded.sandbox.demo.accountId)[0]!.id;
    const res = await guarded.graphql(`{ creditTransaction(id: "${id}") { id } }`, undefined, {
      path: '/subgraph',
      headers: { 'apollo-federation-include-trace': 'ftv1', 'router-authorization': ROUTER_SECRET },
    });
    expect(res.status).toBe(200);
    expect(typeof JSON.parse(res.raw).extensions?.ftv1).toBe('string');
  });

  it('serves the same queries as /graphql (one set of resolvers)', async () => {
    const query = `{ creditTransaction(id: "${someId()}") { id description amount { credits } } }`;
    const [api, sub] = await Promise.all([open.graphql(query), open.graphql(query, undefined, { path: '/subgraph' })]);
    expect(sub.status).toBe(200);
    expect(sub.body.data).toEqual(api.body.data);
    expect(api.body.data).toEqual({ creditTransaction: expect.objectContaining({ id: someId() }) });
  });
});

describe('/subgraph with ROUTER_SECRET set', () => {
  const body = { query: SERVICE_QUERY };

  it('answers 401 to a request without router-authorization', async () => {
    const res = await postJson(`${guarded.url}/subgraph`, body);
    expect(res.status).toBe(401);
    expect(JSON.parse(res.raw).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(res.raw).not.toContain('@key');
  });

  it('answers 401 to a request with a wrong router-authorization (same length or not)', async () => {
    const sameLength = ROUTER_SECRET.replace(/.$/, (c) => (c === 'x' ? 'y' : 'x'));
    for (const wrong of [sameLength, 'short', `${ROUTER_SECRET}-longer`]) {
      const res = await postJson(`${guarded.url}/subgraph`, body, { 'router-authorization': wrong });
      expect(res.status).toBe(401);
    }
  });

  it('does not run an _entities request without the secret (no upstream call)', async () => {
    guarded.sandbox.counters.reset();
    const id = guarded.sandbox.transactionsOf(guarded.sandbox.demo.accountId)[0]!.id;
    const res = await postJson(`${guarded.url}/subgraph`, {
      query: ENTITIES_QUERY,
      variables: { representations: representations([id]) },
    });
    expect(res.status).toBe(401);
    expect(guarded.sandbox.counters.total()).toBe(0);
  });

  it('answers 200 with the right router-authorization', async () => {
    const res = await postJson(`${guarded.url}/subgraph`, body, { 'router-authorization': ROUTER_SECRET });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.raw).data._service.sdl).toContain('@key(fields: "id")');
  });

  it('leaves /graphql open to frontends (the secret guards /subgraph only)', async () => {
    const res = await guarded.graphql('{ creditBalance { availableCredits } }');
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
  });
});
