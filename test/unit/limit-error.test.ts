/**
 * Request errors made by the document gate are located without graphql-js's Source: the line and
 * column must be the ones graphql-js's getLocation gives, whatever ends the lines.
 */
import { getLocation, Source } from 'graphql';
import { locationOf, requestErrorAt } from '../../src/graphql/limit-error';

const TEXTS = [
  '{ a }',
  '\n\n  { a }',
  '{\r\n  a\r\n  b }',
  '{\r  a\r\r\n\n b }',
  '# c\r\n#\n{ a }\r',
  '',
  '{\n  a\n\n  b\n}\n',
  '{ a }\n\r',
];

it.each(TEXTS.map((text) => [JSON.stringify(text), text] as const))(
  'locates every offset of %s as graphql-js does',
  (_name, text) => {
    for (let position = 0; position <= text.length; position++) {
      expect(locationOf(text, position)).toEqual(getLocation(new Source(text), position));
    }
  },
);

it('makes a 400 request error with the locations and no text kept', () => {
  const error = requestErrorAt('Syntax Error: Unexpected <EOF>.', '{\n  a', [5], 'GRAPHQL_PARSE_FAILED');
  expect(error.toJSON()).toEqual({
    message: 'Syntax Error: Unexpected <EOF>.',
    locations: [{ line: 2, column: 4 }],
    extensions: { code: 'GRAPHQL_PARSE_FAILED', http: { status: 400 } },
  });
  expect(error.source).toBeUndefined();
  expect(error.positions).toEqual([5]);
});
