/**
 * The document gate refuses a document with the first limit it breaks and runs no check after
 * that one: the error must be the first of every limit error, whichever limits are broken.
 */
import { parse } from 'graphql';
import { DEFAULT_LIMITS } from '../../src/config';
import { documentLimitErrors, firstLimitError } from '../../src/graphql/document-limits';

const limits = { ...DEFAULT_LIMITS, maxDepth: 3, maxAliases: 2, maxFields: 8, maxDuplicateFields: 2, maxCost: 2 };
const DOCUMENTS = [
  '{ creditBalance { availableCredits } }',
  '{ a { b { c { d } } } }',
  '{ a: x b: x c: x }',
  '{ x x x }',
  '{ creditBalance { a } b: creditBalance { a } c: creditBalance { a } }',
  '{ a { b { c { d } } } e: x f: x g: x x x x creditBalance { a } creditBalance { a } creditBalance { a } }',
  'mutation { a: chargeCredits { x } b: chargeCredits { x } }',
  'query { ...F ...F } fragment F on Query { creditBalance { a } creditBalance { b } x x x }',
];

it.each(DOCUMENTS)('is the first of all the limit errors of %s', (text) => {
  const document = parse(text);
  const all = documentLimitErrors(document, limits);
  expect(firstLimitError(document, limits)?.message ?? null).toBe(all[0]?.message ?? null);
  expect(firstLimitError(document, limits)?.locations).toEqual(all[0]?.locations);
});
