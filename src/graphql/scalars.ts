/**
 * Custom scalars. Decimal is a string on the wire so money never passes through a float;
 * DateTime and JSONObject come from graphql-scalars (ISO-8601 and object-only JSON).
 */
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { DateTimeResolver, JSONObjectResolver } from 'graphql-scalars';

const PLAIN_DECIMAL = /^-?(0|[1-9]\d*)(\.\d+)?$/;
const MAX_DECIMAL_LENGTH = 40;

function parseDecimal(value: unknown): string {
  if (typeof value !== 'string') {
    throw new GraphQLError('Decimal must be a string such as "12.50", not a number');
  }
  if (value.length > MAX_DECIMAL_LENGTH || !PLAIN_DECIMAL.test(value)) {
    throw new GraphQLError('Decimal must be a plain decimal string such as "12.50" (no exponent, NaN or Infinity)');
  }
  return value;
}

export const DecimalScalar = new GraphQLScalarType<string, string>({
  name: 'Decimal',
  description: 'A decimal number as a string, "." as separator, e.g. "12.50"; never a float.',
  serialize: (value) => {
    if (typeof value === 'string') return value;
    throw new GraphQLError('Decimal cannot serialize a non-string value');
  },
  parseValue: parseDecimal,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('Decimal must be a string literal such as "12.50"');
    return parseDecimal(ast.value);
  },
});

export const DateTimeScalar = DateTimeResolver;
export const JSONObjectScalar = JSONObjectResolver;
