import Decimal from 'decimal.js';
import fc from 'fast-check';
import { toGuid } from '../../src/domain/guid';
import {
  decodeBalance,
  exactSum,
  decodeQueryResponse,
  decodeTransaction,
  encodeChargeRequest,
  encodeQueryRequest,
  WixDecodeError,
} from '../../src/wix/wix-mapping';
import { decodeWixError, parseRetryAfter } from '../../src/wix/wix-error-decoder';

const A = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const B = '1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e';

describe('decoding Wix JSON into the domain', () => {
  it('decodes the documented Get Balance example, summing available credits', () => {
    const balance = decodeBalance({
      periodicCredits: { balance: 250, cap: 250 },
      topUpCredits: { balance: 40 },
      creditBalanceBreakdown: [
        {
          subscriptionId: 'sub-1',
          usageRules: [{ period: 'MONTH', balance: 250, cap: 250, resetDate: '2026-12-01T00:00:00Z' }],
        },
      ],
    });
    expect(balance).toEqual({
      periodicCredits: { balance: 250, cap: 250 },
      topUpCredits: { balance: 40, cap: null },
      availableCredits: 290,
      breakdown: [
        {
          subscriptionId: 'sub-1',
          usageRules: [{ period: 'MONTH', balance: 250, cap: 250, resetDate: new Date('2026-12-01T00:00:00Z') }],
        },
      ],
    });
  });

  it('treats an absent topUpCredits as 0 and accepts numeric strings', () => {
    const balance = decodeBalance({ periodicCredits: { balance: '0.1', cap: '250' }, creditBalanceBreakdown: [] });
    expect(balance.topUpCredits.balance).toBe(0);
    expect(balance.periodicCredits).toEqual({ balance: 0.1, cap: 250 });
    expect(balance.availableCredits).toBe(0.1);
  });

  it('sums available credits in decimal, not float (0.1 + 0.2 = 0.3)', () => {
    expect(decodeBalance({ periodicCredits: { balance: 0.1 }, topUpCredits: { balance: 0.2 } }).availableCredits).toBe(
      0.3,
    );
  });

  it('sums balances as Decimal does, for any decimal amounts and magnitudes', () => {
    const amount = fc.oneof(
      fc.integer({ min: -1e9, max: 1e9 }).chain((n) => fc.integer({ min: 0, max: 6 }).map((p) => n / 10 ** p)),
      fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e20, max: 1e20 }),
      fc.constantFrom(0.1, 0.2, 0.3, 1e-7, 123456789.123456, 9007199254740991, -0),
    );
    fc.assert(
      fc.property(amount, amount, (a, b) => {
        expect(exactSum(a, b)).toBe(new Decimal(a).plus(b).toNumber());
      }),
      { numRuns: 5_000 },
    );
  });

  it('ignores unknown fields and keeps the int64 revision as a string', () => {
    const tx = decodeTransaction({
      id: A,
      revision: '9007199254740993',
      createdDate: '2026-11-01T10:00:00.000Z',
      amount: { credits: '2.5', cost: { amount: '0.125', currencyCode: 'USD', formattedValue: '$0.13', extra: true } },
      futureField: { nested: [1, 2, 3] },
      metadata: { feature: 'image' },
    });
    expect(tx.revision).toBe('9007199254740993');
    expect(tx.amount).toEqual({
      credits: 2.5,
      cost: { amount: '0.125', currencyCode: 'USD', formattedValue: '$0.13' },
    });
    expect(tx.createdDate?.toISOString()).toBe('2026-11-01T10:00:00.000Z');
    expect(tx.metadata).toEqual({ feature: 'image' });
    expect(tx.description).toBeNull();
    expect(tx).not.toHaveProperty('futureField');
  });

  it('drops a cost whose amount is not a plain decimal rather than pass it on', () => {
    expect(
      decodeTransaction({ id: A, amount: { credits: 1, cost: { amount: '1,50', currencyCode: 'EUR' } } }).amount,
    ).toEqual({ credits: 1, cost: null });
  });

  it('rejects a transaction without an id', () => {
    expect(() => decodeTransaction({ amount: { credits: 1 } })).toThrow(WixDecodeError);
  });

  it('hands on GUID fields in lower case, whatever case the upstream wrote them in', () => {
    const tx = decodeTransaction({
      id: A.toUpperCase(),
      callerAppId: B.toUpperCase(),
      externalRefId: B.toUpperCase(),
      idempotencyKey: A.toUpperCase(),
    });
    expect(tx).toMatchObject({ id: A, callerAppId: B, externalRefId: B, idempotencyKey: A });
  });

  it('treats an empty GUID field as absent and rejects one that is not a GUID', () => {
    expect(decodeTransaction({ id: A, externalRefId: '' }).externalRefId).toBeNull();
    expect(() => decodeTransaction({ id: 'tx-1' })).toThrow(WixDecodeError);
    expect(() => decodeTransaction({ id: A, idempotencyKey: 'not-a-guid' })).toThrow(WixDecodeError);
  });

  it('decodes a query page and reports hasNext only with a next cursor', () => {
    const page = decodeQueryResponse({
      creditTransactions: [{ id: A }, { id: B }],
      pagingMetadata: { count: 2, cursors: { next: 'c2' }, hasNext: true },
    });
    expect(page.items.map((t) => t.id)).toEqual([A, B]);
    expect(page).toMatchObject({ nextCursor: 'c2', hasNext: true });
    expect(decodeQueryResponse({ creditTransactions: [], pagingMetadata: { hasNext: true } })).toMatchObject({
      nextCursor: null,
      hasNext: false,
    });
  });
});

describe('encoding requests for Wix', () => {
  it('writes the same charge request to the same bytes, optional fields only when present', () => {
    const key = toGuid(A);
    const body = encodeChargeRequest({ credits: 2.5, idempotencyKey: key, description: 'Image' });
    expect(JSON.stringify(body)).toBe(`{"amount":{"credits":2.5},"idempotencyKey":"${A}","description":"Image"}`);
    expect(JSON.stringify(encodeChargeRequest({ credits: 2.5, idempotencyKey: key, description: 'Image' }))).toBe(
      JSON.stringify(body),
    );
  });

  it('maps the GraphQL filter to Wix operators and sends later pages with the cursor alone', () => {
    const after = new Date('2026-01-01T00:00:00Z');
    expect(
      encodeQueryRequest({
        filter: { ids: [toGuid(A)], callerAppId: toGuid(B), createdAfter: after },
        order: 'ASC',
        limit: 10,
      }),
    ).toEqual({
      query: {
        filter: { id: { $in: [A] }, callerAppId: { $eq: B }, createdDate: { $gt: '2026-01-01T00:00:00.000Z' } },
        sort: [{ fieldName: 'createdDate', order: 'ASC' }],
        cursorPaging: { limit: 10 },
      },
    });
    expect(encodeQueryRequest({ cursor: 'abc', limit: 5, order: 'ASC' })).toEqual({
      query: { cursorPaging: { limit: 5, cursor: 'abc' } },
    });
  });
});

describe('decoding Wix error bodies', () => {
  it('reads an applicationError with its code and data', () => {
    const error = decodeWixError(
      'charge',
      428,
      JSON.stringify({
        message: 'no',
        details: {
          applicationError: {
            code: 'INSUFFICIENT_CREDITS',
            description: 'Not enough',
            data: { availableCredits: 1, requiredCredits: 5 },
          },
        },
      }),
      'req-1',
    );
    expect(error).toMatchObject({
      status: 428,
      code: 'INSUFFICIENT_CREDITS',
      description: 'Not enough',
      data: { availableCredits: 1, requiredCredits: 5 },
      requestId: 'req-1',
    });
  });

  it('reads validationError field violations', () => {
    const error = decodeWixError(
      'charge',
      400,
      JSON.stringify({
        message: 'bad',
        details: {
          validationError: {
            fieldViolations: [{ field: 'description', description: 'too long', violatedRule: 'MAX_LENGTH' }],
          },
        },
      }),
      null,
    );
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(error.fieldViolations).toEqual([
      { field: 'description', description: 'too long', violatedRule: 'MAX_LENGTH' },
    ]);
  });

  it('still yields a typed error for an empty 5xx body and for a non-JSON body', () => {
    expect(decodeWixError('getBalance', 503, '', 'r')).toMatchObject({ status: 503, code: null, requestId: 'r' });
    expect(decodeWixError('getBalance', 502, '<html>Bad gateway</html>', null)).toMatchObject({
      status: 502,
      code: null,
      description: null,
    });
  });

  it('never puts the upstream body into the error message', () => {
    const error = decodeWixError(
      'charge',
      500,
      JSON.stringify({ message: 'secret internals at http://upstream' }),
      null,
    );
    expect(error.message).toBe('Wix charge failed with HTTP 500');
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('2')).toBe(2);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6);
    expect(parseRetryAfter(undefined)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
  });
});
