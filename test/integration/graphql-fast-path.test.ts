/**
 * The /graphql fast path answers a document Apollo has accepted exactly as Apollo would: each
 * request is sent again and again under the same conditions, the first answered by Apollo (the
 * text is new), the next ones by the fast path on graphql-js, and once the query has run
 * COMPILE_AFTER_EXECUTIONS times there, compiled by graphql-jit; status, headers, body and log
 * lines are compared.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { ApolloServer } from '@apollo/server';
import { print } from 'graphql';
import { compileQuery as compileQueryMock } from 'graphql-jit';
import {
  BalanceWidgetDocument,
  ChargeCreditsDocument,
  TransactionDetailDocument,
  TransactionHistoryDocument,
} from '../../generated/graphql';
import { COMPILE_AFTER_EXECUTIONS } from '../../src/graphql/prepared-execution';
import { type Harness, postJson, startHarness } from '../support/harness';

const logLines: Record<string, unknown>[] = [];
const logStream = new Writable({
  write(chunk, _encoding, done) {
    for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
    done();
  },
});

let h: Harness;
let apolloCalls: jest.SpyInstance;
const compileQuery = compileQueryMock as jest.MockedFunction<typeof compileQueryMock>;

// Counts compilations; each one is graphql-jit's own.
jest.mock('graphql-jit', () => {
  const actual = jest.requireActual<typeof import('graphql-jit')>('graphql-jit');
  return { ...actual, compileQuery: jest.fn(actual.compileQuery) };
});
beforeAll(async () => {
  h = await startHarness({
    config: { logLevel: 'info', attemptTimeoutMs: 300, requestDeadlineMs: 1_500 },
    retry: { maxAttempts: 1, breakerThreshold: 1_000 },
    logStream,
  });
  apolloCalls = jest.spyOn(ApolloServer.prototype, 'executeHTTPGraphQLRequest');
});
afterAll(async () => {
  apolloCalls.mockRestore();
  await h.close();
});
afterEach(() => h.sandbox.faults.clear());

/** Twenty transactions of the seeded ledger, read once through Apollo. */
let ids: string[] = [];
beforeAll(async () => {
  const page = await h.graphql<{ creditTransactions: { edges: { node: { id: string } }[] } }, unknown>(
    '{ creditTransactions(first: 20) { edges { node { id } } } }',
  );
  ids = page.body.data?.creditTransactions.edges.map((edge) => edge.node.id) ?? [];
  expect(ids).toHaveLength(20);
});

interface Answer {
  status: number;
  headers: Record<string, unknown>;
  body: string;
  viaApollo: boolean;
  logs: Record<string, unknown>[];
}

/** One request, answered by whichever path takes it; the request id normalised away. */
async function send(body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const calls = apolloCalls.mock.calls.length;
  const logsBefore = logLines.length;
  const res = await postJson(`${h.url}/graphql`, body, headers);
  const requestId = String(res.headers['x-request-id']);
  const { date, 'x-request-id': _id, 'keep-alive': _keepAlive, ...rest } = res.headers;
  return {
    status: res.status,
    headers: rest,
    body: res.raw.split(requestId).join('<id>'),
    viaApollo: apolloCalls.mock.calls.length > calls,
    // What the gateway logged about the GraphQL request itself (not Fastify's own lines).
    logs: logLines
      .slice(logsBefore)
      .filter((line) => typeof line.msg === 'string' && line.msg.startsWith('graphql'))
      .map(({ time, pid, hostname, reqId, requestId: _r, ...line }) =>
        // The upstream's own request id differs from call to call.
        JSON.parse(JSON.stringify(line).replace(/"wixRequestId":"[^"]*"/g, '"wixRequestId":"<wix>"')),
      ),
  };
}

/**
 * The same request until it has been answered all three ways: by Apollo (`first`), by the fast
 * path on graphql-js (`second`) and, for a query, compiled (`compiled`).
 */
async function everyWay(body: () => unknown, headers: Record<string, string> = {}) {
  const first = await send(body(), headers);
  expect(first.viaApollo).toBe(true);
  const compilations = compileQuery.mock.calls.length;
  const fast: Answer[] = [];
  for (let i = 0; i <= COMPILE_AFTER_EXECUTIONS; i++) fast.push(await send(body(), headers));
  const second = fast[0] as Answer;
  const compiled = fast[COMPILE_AFTER_EXECUTIONS] as Answer;
  return { first, second, compiled, compiledNow: compileQuery.mock.calls.length > compilations };
}

const query = (document: Parameters<typeof print>[0]) => print(document);

describe('/graphql fast path', () => {
  it('answers a repeated balance query without Apollo, byte for byte as Apollo did', async () => {
    const text = `query FastBalance { creditBalance { __typename availableCredits topUpCredits { balance } } }`;
    const { first, second, compiled, compiledNow } = await everyWay(() => ({ query: text }));
    expect(compiledNow).toBe(true);
    expect(second).toEqual({ ...first, viaApollo: false });
    expect(compiled).toEqual({ ...first, viaApollo: false });
    expect(second.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it.each([
    [
      'a history page (fragment, variables, DateTime and JSON scalars)',
      () => query(TransactionHistoryDocument),
      { first: 5 },
    ],
    ['introspection', () => '{ __typename __schema { queryType { name } types { name kind } } }', undefined],
    [
      'twenty aliased lookups',
      () => `{ ${ids.map((id, i) => `t${i}: creditTransaction(id: "${id}") { id amount { credits } }`).join(' ')} }`,
      undefined,
    ],
  ])('answers %s the same all three ways', async (_name, text, variables) => {
    const { first, second, compiled, compiledNow } = await everyWay(() => ({ query: text(), variables }));
    expect(compiledNow).toBe(true);
    expect(first.status).toBe(200);
    expect(second).toEqual({ ...first, viaApollo: false });
    expect(compiled).toEqual({ ...first, viaApollo: false });
  });

  it('runs a document of more than MAX_COMPILED_FIELDS fields on graphql-js, never compiled', async () => {
    const big = `{ ${ids.map((id, i) => `t${i}: creditTransaction(id: "${id}") { id amount { credits cost { amount } } }`).join(' ')} }`;
    const { first, second, compiled, compiledNow } = await everyWay(() => ({ query: big }));
    expect(compiledNow).toBe(false);
    expect(compiled).toEqual({ ...first, viaApollo: false });
    expect(second).toEqual({ ...first, viaApollo: false });
  });

  it('keeps an operation graphql-jit cannot compile on graphql-js, answering as before', async () => {
    compileQuery.mockImplementationOnce(() => {
      throw new Error('unsupported by graphql-jit');
    });
    const text = 'query FastUncompilable { creditBalance { availableCredits } }';
    const { first, compiled, compiledNow } = await everyWay(() => ({ query: text }));
    expect(compiledNow).toBe(true); // tried, and threw
    expect(compiled).toEqual({ ...first, viaApollo: false });
    expect((await send({ query: text })).status).toBe(200);
  });

  it('negotiates the content type as Apollo does', async () => {
    const text = `query FastAccept { creditBalance { availableCredits } }`;
    for (const accept of [
      'application/graphql-response+json',
      'application/graphql-response+json, application/json;q=0.9',
      '*/*',
    ]) {
      const apollo = await send({ query: `${text} # ${accept}` }, { accept });
      const fast = await send({ query: `${text} # ${accept}` }, { accept });
      expect(fast.viaApollo).toBe(false);
      expect(fast).toEqual({ ...apollo, viaApollo: false });
    }
    // An Accept header Apollo refuses (406) is left to Apollo.
    const refused = await send({ query: text }, { accept: 'text/html' });
    expect(refused).toMatchObject({ status: 406, viaApollo: true });
  });

  it('answers an upstream failure with the same errors, status and log lines', async () => {
    const text = query(BalanceWidgetDocument);
    const failing = () => {
      h.sandbox.faults.add({ kind: 'status503', times: 1 });
      return { query: text };
    };
    const { first, second, compiled, compiledNow } = await everyWay(failing);
    expect(compiledNow).toBe(true);
    expect(second).toEqual({ ...first, viaApollo: false });
    expect(compiled).toEqual({ ...first, viaApollo: false });
    expect(JSON.parse(second.body).errors[0].extensions).toEqual({
      code: 'UPSTREAM_UNAVAILABLE',
      retryable: true,
      requestId: '<id>',
    });
    expect(second.logs).toHaveLength(1);
  });

  it('answers a resolver refusing its input (a forged cursor) with the same BAD_USER_INPUT', async () => {
    const text =
      'query FastCursor($after: String) { creditTransactions(first: 2, after: $after) { edges { cursor } } }';
    const { first, second, compiled, compiledNow } = await everyWay(() => ({
      query: text,
      variables: { after: 'forged.cursor' },
    }));
    expect(compiledNow).toBe(true);
    expect(second).toEqual({ ...first, viaApollo: false });
    expect(compiled).toEqual({ ...first, viaApollo: false });
    expect(JSON.parse(second.body).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    expect(second.logs).toEqual(first.logs);
    expect(second.logs).toHaveLength(1);
  });

  it('executes a charge once per request, answering as Apollo does', async () => {
    const text = query(ChargeCreditsDocument);
    const charge = () => ({ query: text, variables: { input: { credits: 0.5, idempotencyKey: randomUUID() } } });
    const { first, second, compiledNow } = await everyWay(charge);
    expect(second.viaApollo).toBe(false);
    expect(compiledNow).toBe(false); // mutations stay on graphql-js
    const shape = (answer: Answer) => JSON.parse(answer.body).data.chargeCredits.__typename;
    expect([shape(first), shape(second)]).toEqual(['CreditsCharged', 'CreditsCharged']);
    expect(second.status).toBe(first.status);
    // The balance after each charge differs, and so the length.
    const { 'content-length': _a, ...firstHeaders } = first.headers;
    const { 'content-length': _b, ...secondHeaders } = second.headers;
    expect(secondHeaders).toEqual(firstHeaders);
  });

  it('leaves refused variables, argument limits, persisted queries and GET to Apollo', async () => {
    const detail = query(TransactionDetailDocument);
    await send({ query: detail, variables: { id: randomUUID() } }); // accepted once
    const missing = await send({ query: detail });
    expect(missing).toMatchObject({ status: 400, viaApollo: true });
    expect(JSON.parse(missing.body).errors[0].extensions.code).toBe('BAD_USER_INPUT');

    const page = 'query FastPage($first: Int) { creditTransactions(first: $first) { edges { cursor } } }';
    expect(await send({ query: page, variables: { first: 2 } })).toMatchObject({ status: 200 });
    const tooMany = await send({ query: page, variables: { first: 100_000 } });
    expect(tooMany).toMatchObject({ status: 400, viaApollo: true });

    const persisted = await send({ query: page, variables: { first: 2 }, extensions: { persistedQuery: {} } });
    expect(persisted.viaApollo).toBe(true);

    const calls = apolloCalls.mock.calls.length;
    await fetch(`${h.url}/graphql?query=${encodeURIComponent('{ creditBalance { availableCredits } }')}`);
    expect(apolloCalls.mock.calls.length).toBe(calls + 1);
  });

  it.each([
    ['a syntax error', '{ creditBalance { availableCredits }'],
    [
      'a depth over the limit',
      `{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } } } }`,
    ],
    ['an unknown field', '{ creditBalance { nope } }'],
    ['too many tokens', `{ ${'__typename '.repeat(1_200)}}`],
  ])('refuses %s itself, as Apollo refuses it', async (name, text) => {
    // Checked by the gate's check, then kept (an unknown field, with schema hints on as here, is
    // graphql-js's to word: Apollo answers it the first time).
    const checkedNow = await send({ query: text });
    if (name !== 'an unknown field') expect(checkedNow.viaApollo).toBe(false);
    const calls = apolloCalls.mock.calls.length;
    const logsBefore = logLines.length;
    const viaGet = await fetch(`${h.url}/graphql?query=${encodeURIComponent(text)}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(apolloCalls.mock.calls.length).toBe(calls + 1);
    const apolloBody = (await viaGet.text()).split(String(viaGet.headers.get('x-request-id'))).join('<id>');
    const apolloLogs = logLines.slice(logsBefore).filter((line) => String(line.msg).startsWith('graphql'));
    const fromVerdict = await send({ query: text });
    expect(fromVerdict.viaApollo).toBe(false);
    for (const fast of [checkedNow, fromVerdict]) {
      expect(fast.status).toBe(viaGet.status);
      expect(fast.body).toBe(apolloBody);
      expect(fast.headers['content-type']).toBe(viaGet.headers.get('content-type'));
      expect(fast.logs.map((line) => line.msg)).toEqual(apolloLogs.map((line) => line.msg));
    }
    expect(viaGet.status).toBe(400);
  });

  it('never executes a document Apollo refused', async () => {
    // Two unknown fields: graphql-js's validation (Apollo's) reports both.
    const invalid = '{ creditBalance { nope } n2: nope }';
    const answers = [await send({ query: invalid }), await send({ query: invalid })];
    expect(answers.map((a) => a.status)).toEqual([400, 400]);
    expect(answers[1]?.body).toBe(answers[0]?.body);
  });
});
