import { Kind } from 'graphql';
import { DecimalScalar } from '../../src/graphql/scalars';

describe('Decimal scalar', () => {
  it.each(['0', '12.50', '-789', '3456.99', '0.000001'])('accepts the plain decimal %s', (value) => {
    expect(DecimalScalar.parseValue(value)).toBe(value);
  });

  it.each(['1e5', 'NaN', 'Infinity', '-Infinity', '', '01.5', '1.', '.5', '1,5', ' 1'])('rejects %p', (value) => {
    expect(() => DecimalScalar.parseValue(value)).toThrow(/Decimal/);
  });

  it('rejects JSON numbers, as variables and as literals', () => {
    expect(() => DecimalScalar.parseValue(12.5)).toThrow(/not a number/);
    expect(() => DecimalScalar.parseLiteral({ kind: Kind.FLOAT, value: '12.5' })).toThrow(/string literal/);
    expect(DecimalScalar.parseLiteral({ kind: Kind.STRING, value: '12.5' })).toBe('12.5');
  });
});
