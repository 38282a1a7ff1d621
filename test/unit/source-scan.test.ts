/**
 * The text check before parsing counts tokens and fields exactly as graphql-js does, and gives no
 * limit verdict on text it does not fully understand (the parser then reports its own error): it
 * calls that text suspect, so that it is parsed without locations first.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { getIntrospectionQuery, Kind, parse, visit, type FieldNode } from 'graphql';
import { SourceScanner, SUSPECT } from '../../src/graphql/source-scan';

const operationsDir = join(__dirname, '../../schema/operations');
const DOCUMENTS: string[] = [
  getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true }),
  ...readdirSync(operationsDir).map((file) => readFileSync(join(operationsDir, file), 'utf8')),
  `query Q($f: CreditTransactionFilter = { ids: ["a", "b"], callerAppId: null }, $n: Int = -12) @dir(x: [1, 2.5e-3, {a: true}]) {
     # a comment { with braces } and fields
     first: creditTransactions(filter: $f, first: $n, order: DESC) { nodes { id ...T @include(if: true) } pageInfo { endCursor } }
     ... on Query { b: creditBalance { availableCredits } }
     ... @skip(if: false) { __typename }
     on: __typename
   }
   fragment T on CreditTransaction { amount { credits cost { amount, currencyCode } } description }
   mutation M { chargeCredits(input: { credits: 1.5, description: "say \\"hi\\" \\u00e9 \\\\", idempotencyKey: """block "quoted" \\""" text
   two lines""" }) { __typename ... on CreditsCharged { transaction { id } } } }`,
  `{ ${'__typename '.repeat(300)}}`,
  `# leading\n{\n${Array.from({ length: 30 }, (_, i) => `  f${i}: __typename # note "${i}" { not a field }\n# between`).join('\n')}\n}\n# trailing`,
  `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: __schema { queryType { name } }`).join(', ')} }`,
];

function counts(document: string): { tokens: number; comments: number; fieldStarts: number[] } {
  const parsed = parse(document);
  let tokens = 0;
  let comments = 0;
  for (let token = parsed.loc?.startToken.next; token && token.kind !== '<EOF>'; token = token.next) {
    if (token.kind === 'Comment') comments++;
    else tokens++;
  }
  const fieldStarts: number[] = [];
  visit(parsed, { [Kind.FIELD]: (node: FieldNode) => void fieldStarts.push(node.loc?.start ?? -1) });
  return { tokens, comments, fieldStarts: fieldStarts.sort((a, b) => a - b) };
}

describe.each(DOCUMENTS.map((document, i) => [i, document] as const))('document %i', (_i, document) => {
  const { tokens, comments, fieldStarts } = counts(document);
  const fields = fieldStarts.length;
  const parserPosition = (options: { maxTokens?: number; maxComments?: number }) => {
    try {
      parse(document, options);
    } catch (error) {
      return (error as { positions: number[] }).positions[0]!;
    }
    return -1;
  };

  it('is within limits equal to its own counts', () => {
    expect(new SourceScanner(tokens, fields, comments).scan(document)).toBeNull();
  });

  it('is over the token limit one below its token count, at the parser’s position', () => {
    const position = parserPosition({ maxTokens: tokens - 1 });
    expect(new SourceScanner(tokens - 1, fields, comments).scan(document)).toEqual({ limit: 'tokens', position });
  });

  if (comments > 0) {
    it('is over the comment limit one below its comment count, at the parser’s position', () => {
      const position = parserPosition({ maxComments: comments - 1 });
      expect(new SourceScanner(tokens, fields, comments - 1).scan(document)).toEqual({ limit: 'comments', position });
    });
  }

  it('is over the field limit one below its field count, at that field', () => {
    // The text check finds the first field past the limit in text order.
    expect(new SourceScanner(tokens, fields - 1, comments).scan(document)).toEqual({
      limit: 'fields',
      position: fieldStarts[fields - 1],
    });
  });
});

it('calls suspect, with no limit verdict, text the parser would refuse, however far over the limits it goes', () => {
  const scanner = new SourceScanner(10, 5, 10);
  const many = 'a '.repeat(50);
  for (const refused of ['"unterminated', '01', '1.x', '1e', '..', ')', 'é', '"bad \\q escape"']) {
    expect(scanner.scan(`{ ${refused} ${many} }`)).toBe(SUSPECT);
  }
  // Over the token limit before the end: the parser would stop there too, whatever follows.
  expect(scanner.scan(`{ ${many}`)).toEqual({ limit: 'tokens', position: 20 });
  // Within the tokens, over the fields, but never closed: the parser decides.
  expect(new SourceScanner(1_000, 5, 10).scan(`{ ${many}`)).toBe(SUSPECT);
  expect(new SourceScanner(1_000, 500, 10).scan(`{ ${many}`)).toBe(SUSPECT);
  expect(new SourceScanner(1_000, 5, 10).scan(`{ ${many} }`)).toEqual({ limit: 'fields', position: 12 });
});
