/**
 * Money values as the sandbox emits them; `formattedValue` is always computed here, like Wix.
 */
import type { WireMoney } from './wire';

// Intl.NumberFormat construction is costly; the charge path reuses one formatter per currency.
const formatters = new Map<string, Intl.NumberFormat>();

export function formatMoney(amount: string, currencyCode: string): string {
  let formatter = formatters.get(currencyCode);
  if (!formatter) {
    formatter = new Intl.NumberFormat('en-US', { style: 'currency', currency: currencyCode });
    formatters.set(currencyCode, formatter);
  }
  return formatter.format(Number(amount));
}

export function money(amount: string, currencyCode: string): WireMoney {
  return { amount, currencyCode, formattedValue: formatMoney(amount, currencyCode) };
}
