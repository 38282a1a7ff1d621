/**
 * MAX_COMMENTS: `#` comments are not tokens, so MAX_TOKENS does not bound them; a 64 KiB body of
 * comment lines was lexed in full (20,000 comment tokens, twice for a first-seen document). At
 * most 500 comments: over that the document is answered from its text, as the parser words it.
 */
import { parse } from 'graphql';
import { startHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness(); // default limits: MAX_COMMENTS=500
});
afterAll(() => h.close());
beforeEach(() => h.sandbox.counters.reset());

const commented = (count: number) => `{ creditBalance { availableCredits } }\n${'#\n'.repeat(count)}`;

it('rejects 400 GRAPHQL_PARSE_FAILED a document of 20,000 comments, worded and placed as the parser does, with no upstream call', async () => {
  const document = commented(20_000);
  const res = await h.graphql(document);
  expect(res.status).toBe(400);
  const [error] = res.body.errors ?? [];
  expect(error?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  let expected: unknown;
  try {
    parse(document, { maxComments: 500 });
  } catch (parserError) {
    const { message, locations } = parserError as { message: string; locations: unknown };
    expected = { message, locations };
  }
  expect({ message: error?.message, locations: (error as { locations?: unknown })?.locations }).toEqual(expected);
  expect(error?.message).toBe('Syntax Error: Document contains more than 500 comments. Parsing aborted.');
  expect(h.sandbox.counters.total()).toBe(0);
});

it('serves a document of 500 comments', async () => {
  const res = await h.graphql(commented(500));
  expect(res.status).toBe(200);
  expect(res.body.errors).toBeUndefined();
});
