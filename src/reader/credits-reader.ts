/**
 * Everything one request reads, in one place: the balance (asked upstream at most once), a
 * transaction by id (batched per tick through the request's DataLoader, answered from the
 * shared tenant cache when it can be), and history pages (the connection). Made per request;
 * its loaders are made on first use, so a request that reads nothing pays for one small object.
 *
 * The cache-write rule lives here only: every transaction this request learns from the upstream
 * (by id, on a page, or by charging it) is primed into this request's loader, so a later lookup
 * in the same request costs nothing; those read from the upstream also go to the shared cache
 * of the tenant whose credentials read them.
 */
import type { CreditBalance, CreditTransaction } from '../domain/credits';
import type { Guid } from '../domain/guid';
import { BalanceLoader } from './balance.loader';
import type { TransactionCache } from './cache/transaction-cache';
import type { CursorCodec } from './pagination/cursor-codec';
import {
  type ConnectionArgs,
  loadTransactionConnection,
  type TransactionConnection,
} from './pagination/transaction-connection';
import type { ReadCall, ReadUpstream } from './read-upstream';
import { createTransactionLoader, type TransactionLoader } from './transaction-by-id.loader';

/** Long-lived collaborators of every reader (none holds per-request state). */
export interface ReaderServices {
  client: ReadUpstream;
  transactionCache: TransactionCache;
  /** Signs and checks connection cursors (CURSOR_SECRET). */
  cursors: CursorCodec;
}

/** The request's credentials, tenant and deadline; throws UNAUTHENTICATED when it has none. */
export interface ReadAccess {
  call(): ReadCall;
}

export class CreditsReader {
  private byIdLoader: TransactionLoader | null = null;
  private balanceLoader: BalanceLoader | null = null;

  constructor(
    private readonly services: ReaderServices,
    private readonly access: ReadAccess,
  ) {}

  balance(): Promise<CreditBalance> {
    this.balanceLoader ??= new BalanceLoader(this.services.client, () => this.access.call());
    return this.balanceLoader.load();
  }

  /**
   * Null when unknown. `null` for an id that was not a GUID (an `_entities` representation: the
   * subgraph cannot resolve it, and federation answers such an entity null): the answer is null
   * as well (still only with credentials), without asking upstream.
   */
  transaction(id: Guid | null): CreditTransaction | null | Promise<CreditTransaction | null> {
    // Not an async function, and an answer from a memory cache is returned as it is: twenty
    // aliased lookups would each pay for a loader promise, a batch and their resolution.
    let call: ReadCall;
    try {
      call = this.access.call(); // first: without credentials nothing, not even the cache, is read
    } catch (error) {
      return Promise.reject(error);
    }
    if (id === null) return null;
    return this.services.transactionCache.peek?.(call.tenant, id) ?? this.loader().load(id);
  }

  /** One page of history; `first` and the id lists are bounded before any resolver runs. */
  async transactions(args: ConnectionArgs): Promise<TransactionConnection> {
    const call = this.access.call();
    const connection = await loadTransactionConnection(this.services, call, args);
    this.prime(connection.nodes);
    await this.learned(call.tenant, connection.nodes);
    return connection;
  }

  /** A charge this request made: later reads in it see the debit and the new transaction. */
  charged(transaction: CreditTransaction): void {
    this.balanceLoader?.clear();
    this.prime([transaction]);
  }

  private loader(): TransactionLoader {
    return (this.byIdLoader ??= createTransactionLoader(
      this.services.client,
      this.services.transactionCache,
      () => this.access.call(),
      (tenant, transactions) => this.learned(tenant, transactions),
    ));
  }

  private prime(transactions: readonly CreditTransaction[]): void {
    const loader = this.loader();
    for (const tx of transactions) loader.prime(tx.id, tx);
  }

  /** Transactions are immutable: what the upstream showed this tenant may be served to it again. */
  private learned(tenant: string, transactions: readonly CreditTransaction[]): Promise<void> {
    return this.services.transactionCache.setMany(tenant, transactions);
  }
}
