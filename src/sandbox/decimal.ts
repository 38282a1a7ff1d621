/**
 * The sandbox's own Decimal constructor: a clone with enough precision that sums of many
 * fractional charges stay exact, without changing the global decimal.js settings other modules use.
 */
import Decimal from 'decimal.js';

export const Dec = Decimal.clone({ precision: 60, toExpNeg: -30, toExpPos: 40 });
export type Dec = Decimal;

export function toDec(value: string | number | Decimal): Decimal {
  return new Dec(value);
}
