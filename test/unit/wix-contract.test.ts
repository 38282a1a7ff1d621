/**
 * The client's side of the Wix contract, against the recorded exchanges in test/fixtures/wix/:
 * what it sends is byte-for-byte the recorded request, and what it decodes from every recorded
 * answer (success and every error shape) is what docs/wix-api.md says it means. No sockets.
 */
import { toGuid } from '../../src/domain/guid';
import { decodeWixError } from '../../src/wix/wix-error-decoder';
import { WixHttpError, type WixOperation } from '../../src/wix/wix-errors';
import {
  decodeBalance,
  decodeQueryResponse,
  decodeTransactionResponse,
  encodeChargeRequest,
  encodeQueryRequest,
} from '../../src/wix/wix-mapping';
import { allWixExchanges, wixExchange, type WixExchange } from '../support/wix-fixtures';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

function errorOf(exchange: WixExchange, operation: WixOperation = 'getBalance'): WixHttpError {
  const { status, headers, body } = exchange.response;
  return decodeWixError(operation, status, body === null ? '' : JSON.stringify(body), 'req-1', headers['retry-after']);
}

describe('requests the client sends are the recorded ones', () => {
  test('charge: every field, optional ones only when present', () => {
    const sent = encodeChargeRequest({
      credits: 2.5,
      cost: { amount: '0.125', currencyCode: 'USD' },
      description: 'Image generation',
      externalRefId: toGuid('6c1d2f3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f'),
      metadata: { feature: 'image' },
      idempotencyKey: toGuid('0f8e7d6c-5b4a-4938-a7b6-c5d4e3f2a1b0'),
    });
    expect(sent).toEqual(wixExchange('charge.ok').request.body);
    const bare = encodeChargeRequest({ credits: 1000, idempotencyKey: toGuid('1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d') });
    expect(bare).toEqual(wixExchange('charge.insufficient-credits').request.body);
  });

  test('query: a batch of ids, a filtered first page, and a later page carrying only the cursor', () => {
    const byIds = wixExchange('query.by-ids');
    const ids = (byIds.request.body as { query: { filter: { id: { $in: string[] } } } }).query.filter.id.$in;
    expect(ids).toContain(UNKNOWN_ID);
    expect(encodeQueryRequest({ filter: { ids: ids.map(toGuid) }, limit: 100 })).toEqual(byIds.request.body);

    const first = wixExchange('query.first-page');
    expect(
      encodeQueryRequest({ filter: { createdAfter: new Date('2020-01-01T00:00:00Z') }, order: 'DESC', limit: 2 }),
    ).toEqual(first.request.body);

    const next = wixExchange('query.next-page');
    const cursor = (first.response.body as { pagingMetadata: { cursors: { next: string } } }).pagingMetadata.cursors
      .next;
    expect(encodeQueryRequest({ cursor, limit: 2, order: 'ASC', filter: { ids: [toGuid(UNKNOWN_ID)] } })).toEqual(
      next.request.body,
    );
  });
});

describe('answers the client decodes', () => {
  test('balance: available is periodic + top-up', () => {
    const recorded = wixExchange('balance.ok').response.body as {
      creditBalanceBreakdown: { subscriptionId: string }[];
    };
    const balance = decodeBalance(recorded);
    expect(balance).toEqual({
      periodicCredits: { balance: 250, cap: 250 },
      topUpCredits: { balance: 40, cap: null },
      availableCredits: 290,
      breakdown: [
        {
          subscriptionId: recorded.creditBalanceBreakdown[0]!.subscriptionId,
          usageRules: [{ period: 'MONTH', balance: 250, cap: 250, resetDate: new Date('2027-01-01T00:00:00Z') }],
        },
      ],
    });
  });

  test('balance: numeric strings are numbers, an absent top-up is 0, unknown fields are ignored', () => {
    const balance = decodeBalance(wixExchange('balance.numeric-strings').response.body);
    expect(balance.periodicCredits).toEqual({ balance: 12.5, cap: 250 });
    expect(balance.topUpCredits).toEqual({ balance: 0, cap: null });
    expect(balance.availableCredits).toBe(12.5);
    expect(balance.breakdown[0]?.usageRules[0]).toEqual({
      period: 'MONTH',
      balance: 12.5,
      cap: 250,
      resetDate: new Date('2027-01-01T00:00:00Z'),
    });
  });

  test('charge: the created transaction, every field', () => {
    const recorded = wixExchange('charge.ok').response.body as { creditTransaction: Record<string, string> };
    const tx = decodeTransactionResponse(recorded);
    expect(tx).toEqual({
      id: recorded.creditTransaction.id,
      revision: '1',
      createdDate: new Date(recorded.creditTransaction.createdDate!),
      updatedDate: new Date(recorded.creditTransaction.updatedDate!),
      amount: { credits: 2.5, cost: { amount: '0.125', currencyCode: 'USD', formattedValue: '$0.13' } },
      description: 'Image generation',
      callerAppId: recorded.creditTransaction.callerAppId,
      externalRefId: toGuid('6c1d2f3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f'),
      metadata: { feature: 'image' },
      idempotencyKey: toGuid('0f8e7d6c-5b4a-4938-a7b6-c5d4e3f2a1b0'),
    });
    // A replay answers the same transaction; a get answers it too.
    expect(decodeTransactionResponse(wixExchange('charge.replayed').response.body)).toEqual(tx);
    expect(decodeTransactionResponse(wixExchange('get.ok').response.body)).toEqual(tx);
  });

  test('charge without cost: the upstream prices it; absent optional fields decode as null', () => {
    const tx = decodeTransactionResponse(wixExchange('charge.periodic-then-top-up').response.body);
    expect(tx.amount).toEqual({
      credits: 250,
      cost: { amount: '12.5', currencyCode: 'USD', formattedValue: '$12.50' },
    });
    expect(tx).toMatchObject({ description: null, externalRefId: null, metadata: null });
  });

  test('query: items in order, the next cursor, and the last page without one', () => {
    const first = wixExchange('query.first-page');
    const page = decodeQueryResponse(first.response.body);
    const recorded = first.response.body as {
      creditTransactions: { id: string }[];
      pagingMetadata: { cursors: { next: string } };
    };
    expect(page.items.map((t) => t.id)).toEqual(recorded.creditTransactions.map((t) => t.id));
    expect(page).toMatchObject({ nextCursor: recorded.pagingMetadata.cursors.next, hasNext: true });
    const last = decodeQueryResponse(wixExchange('query.next-page').response.body);
    expect(last).toMatchObject({ nextCursor: null, hasNext: false });
    expect(last.items).toHaveLength(1);
    // A batch of ids answers the known ones only.
    const byIds = decodeQueryResponse(wixExchange('query.by-ids').response.body);
    expect(byIds.items.map((t) => t.id)).not.toContain(UNKNOWN_ID);
    expect(byIds.items).toHaveLength(1);
  });
});

describe('every recorded error shape decodes to a typed error', () => {
  test.each([
    ['charge.insufficient-credits', 428, 'INSUFFICIENT_CREDITS'],
    ['charge.idempotency-key-reused', 409, 'IDEMPOTENCY_KEY_REUSED'],
    ['charge.invalid', 400, 'VALIDATION_ERROR'],
    ['get.not-found', 404, 'NOT_FOUND'],
    ['error.unauthenticated', 401, 'UNAUTHENTICATED'],
    ['error.forbidden', 403, 'FORBIDDEN'],
    ['error.too-many-requests', 429, 'TOO_MANY_REQUESTS'],
    ['error.unavailable', 503, 'UNAVAILABLE'],
    ['error.unavailable-empty', 502, null],
  ])('%s: HTTP %i, code %s', (name, status, code) => {
    const error = errorOf(wixExchange(name));
    expect(error).toBeInstanceOf(WixHttpError);
    expect(error).toMatchObject({ status, code, requestId: 'req-1' });
  });

  test('insufficient credits carries the available and required credits', () => {
    expect(errorOf(wixExchange('charge.insufficient-credits'), 'charge').data).toEqual({
      availableCredits: 287.5,
      requiredCredits: 1000,
    });
  });

  test('a reused key names the key and the original transaction', () => {
    const original = (wixExchange('charge.ok').response.body as { creditTransaction: { id: string } }).creditTransaction
      .id;
    expect(errorOf(wixExchange('charge.idempotency-key-reused'), 'charge').data).toEqual({
      idempotencyKey: '0f8e7d6c-5b4a-4938-a7b6-c5d4e3f2a1b0',
      creditTransactionId: original,
    });
  });

  test('a validation error lists every field violation', () => {
    expect(
      errorOf(wixExchange('charge.invalid'), 'charge').fieldViolations.map((v) => [v.field, v.violatedRule]),
    ).toEqual([
      ['amount.credits', 'DECIMAL_GT'],
      ['description', 'MAX_LENGTH'],
      ['idempotencyKey', 'FORMAT'],
    ]);
  });

  test('429 carries its Retry-After in seconds', () => {
    expect(errorOf(wixExchange('error.too-many-requests')).retryAfterSeconds).toBe(2);
  });

  test('every non-2xx fixture is covered above', () => {
    const errors = allWixExchanges()
      .filter((e) => e.response.status >= 300)
      .map((e) => e.name);
    expect(errors.sort()).toEqual(
      [
        'charge.insufficient-credits',
        'charge.idempotency-key-reused',
        'charge.invalid',
        'get.not-found',
        'error.unauthenticated',
        'error.forbidden',
        'error.too-many-requests',
        'error.unavailable',
        'error.unavailable-empty',
      ].sort(),
    );
  });
});
