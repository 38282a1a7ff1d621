/**
 * The balance, fetched at most once per request however many fields ask for it; a charge
 * clears it so `CreditsCharged.balance` reads the balance after the debit.
 */
import type { CreditBalance } from '../domain/credits';
import type { UpstreamCallOptions } from '../domain/upstream-call';
import type { ReadUpstream } from './read-upstream';

export class BalanceLoader {
  private pending: Promise<CreditBalance> | null = null;

  constructor(
    private readonly client: Pick<ReadUpstream, 'getBalance'>,
    private readonly callOptions: () => UpstreamCallOptions,
  ) {}

  load(): Promise<CreditBalance> {
    if (!this.pending) {
      const pending = Promise.resolve().then(() => this.client.getBalance(this.callOptions()));
      this.pending = pending;
      // A failed load is not remembered: a later field in the same request may try again.
      pending.catch(() => {
        if (this.pending === pending) this.pending = null;
      });
      return pending;
    }
    return this.pending;
  }

  clear(): void {
    this.pending = null;
  }
}
