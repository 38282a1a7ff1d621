/**
 * Rejections are cheap: a document over MAX_TOKENS or MAX_FIELDS is found in its text before it
 * is parsed (src/graphql/source-scan.ts) and answered as the parser or the field check would
 * answer it, so what a client sees does not change. The costs are measured by
 * `npm run bench:hostile` (reported in the README's Limits section), not here: these tests pin
 * the answers, including for documents that differ on every request.
 */
import { createHash, randomUUID } from 'node:crypto';
import { parse } from 'graphql';
import { DEFAULT_LIMITS } from '../../src/config';
import { postJson, startHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness(); // default limits: MAX_TOKENS=1000, MAX_FIELDS=200
});
afterAll(() => h.close());
beforeEach(() => h.sandbox.counters.reset());

const { maxTokens } = DEFAULT_LIMITS;
const overTokens = (suffix: string) => `query Q${suffix} { ${'__typename '.repeat(maxTokens + 97)}}`;

function parserError(document: string): { message: string; locations: unknown } {
  try {
    parse(document, { maxTokens });
  } catch (error) {
    const { message, locations } = error as { message: string; locations: unknown };
    return { message, locations };
  }
  throw new Error('the document parsed');
}

/** Sends the document; expects the gateway's 400 to be the parser's own error, worded and placed alike. */
async function expectParserAnswer(document: string) {
  const res = await h.graphql(document);
  expect(res.status).toBe(400);
  const [error] = res.body.errors ?? [];
  expect(error?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  expect({ message: error?.message, locations: (error as { locations?: unknown })?.locations }).toEqual(
    parserError(document),
  );
  return error;
}

it('answers a document over MAX_TOKENS exactly as the parser would: 400 GRAPHQL_PARSE_FAILED, same message and location', async () => {
  const error = await expectParserAnswer(overTokens(''));
  expect(typeof error?.extensions?.requestId).toBe('string');
  expect(h.sandbox.counters.total()).toBe(0);
});

it('rejects documents that differ on every request the same way, with no upstream call', async () => {
  for (let i = 0; i < 5; i++) {
    const suffix = randomUUID().replace(/-/g, '');
    const tokens = await h.graphql(overTokens(suffix));
    expect(tokens.status).toBe(400);
    expect(tokens.body.errors?.[0]?.message).toMatch(`more that ${maxTokens} tokens`);
    const fields = await h.graphql(`query F${suffix} { ${'__typename '.repeat(maxTokens - 10)}}`);
    expect(fields.status).toBe(400);
    expect(fields.body.errors?.map((e) => e.message)).toEqual(['The document selects more than 200 fields.']);
  }
  expect(h.sandbox.counters.total()).toBe(0);
});

it('points at the first field past MAX_FIELDS, as the check after parsing does', async () => {
  const res = await h.graphql(`{\n${'__typename\n'.repeat(250)}}`);
  expect(res.status).toBe(400);
  expect((res.body.errors?.[0] as { locations?: unknown })?.locations).toEqual([{ line: 202, column: 1 }]);
});

it('does not register a persisted query over a limit', async () => {
  const query = overTokens('Apq');
  const sha256Hash = createHash('sha256').update(query).digest('hex');
  const extensions = { persistedQuery: { version: 1, sha256Hash } };
  const registered = await postJson(`${h.url}/graphql`, { query, extensions });
  expect(registered.status).toBe(400);
  const byHash = await postJson(`${h.url}/graphql`, { extensions });
  expect(JSON.parse(byHash.raw).errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
});

it('answers a syntax error as the parser words it: 400 GRAPHQL_PARSE_FAILED, same message and location', async () => {
  await expectParserAnswer(`query Broken${randomUUID().replace(/-/g, '')} { creditBalance { availableCredits } `);
});

it('answers a long document that never closes (parsed without locations) as the parser words and places it', async () => {
  const suffix = randomUUID().replace(/-/g, '');
  await expectParserAnswer(`query Open${suffix} {\n${'  __typename\n'.repeat(maxTokens - 10)}`);
  await expectParserAnswer(`query Bad${suffix} {\n${'  __typename\n'.repeat(maxTokens - 10)} "unterminated }`);
  expect(h.sandbox.counters.total()).toBe(0);
});

it('answers a refused document sent again (from its kept verdict) exactly as the first time', async () => {
  const suffix = randomUUID().replace(/-/g, '');
  const documents = [
    `query Open${suffix} {\r\n${'  __typename\r\n'.repeat(maxTokens - 10)}`,
    `query Q${suffix} { __typename }\n${'#\r'.repeat(DEFAULT_LIMITS.maxComments + 5)}`,
    `{\n${Array.from({ length: 31 }, (_, i) => `a${i}${suffix}: __typename`).join('\n')}\n}`,
    `{ creditBalance { availableCredits${suffix} } }`,
  ];
  const answer = (res: Awaited<ReturnType<Harness['graphql']>>) => ({
    status: res.status,
    errors: res.body.errors?.map((e) => ({
      message: e.message,
      locations: (e as { locations?: unknown }).locations,
      code: e.extensions?.code,
    })),
  });
  for (const document of documents) {
    const first = answer(await h.graphql(document));
    expect(first.status).toBe(400);
    expect(first.errors).toHaveLength(1);
    expect(answer(await h.graphql(document))).toEqual(first);
    expect(answer(await h.graphql(document))).toEqual(first);
  }
  await expectParserAnswer(documents[0]!);
  expect(h.sandbox.counters.total()).toBe(0);
});

it('answers a document over a tree limit with that limit, its location included', async () => {
  const res = await h.graphql(`{\n  ${Array.from({ length: 31 }, (_, i) => `a${i}: __typename`).join('\n  ')}\n}`);
  expect(res.status).toBe(400);
  expect(res.body.errors).toEqual([
    expect.objectContaining({
      message: 'The document uses more than 30 aliases.',
      locations: [{ line: 32, column: 3 }],
      extensions: expect.objectContaining({ code: 'GRAPHQL_VALIDATION_FAILED' }),
    }),
  ]);
});
