/** One request's charges: what they bind (credentials, caller, request id) and whom they tell of a charge. */
import type { Caller } from '../../src/auth/caller';
import type { ChargeCall } from '../../src/charges/charge-service';
import type { LimitedChargeOutcome } from '../../src/charges/limits/charge-limits';
import type { LimitSubject } from '../../src/charges/limits/limit-subject';
import { type ChargeAccess, RequestCharges } from '../../src/charges/request-charges';
import type { ChargeRequest } from '../../src/domain/charge-request';
import type { ChargeOutcome, CreditTransaction } from '../../src/domain/credits';
import { opaqueId } from '../support/guids';

const call: ChargeCall = {
  credentials: { authorization: 'key', accountId: 'account-a' },
  tenant: 'tenant-a',
  scope: 'account-a',
  signal: new AbortController().signal,
};
const caller: Caller = {
  enforced: true,
  principal: { subject: 'alice', scopes: new Set(), budget: null, expiresAtMs: Number.MAX_SAFE_INTEGER },
  address: '127.0.0.1',
  forwarded: false,
};
const access: ChargeAccess = { requestId: 'req-1', caller, call: () => call };
const request: ChargeRequest = { credits: 2, idempotencyKey: opaqueId('k1') };
const transaction = { id: 'tx-1' } as unknown as CreditTransaction;

describe('RequestCharges', () => {
  it('charges through the limits with the subject, credentials and request id of the request', async () => {
    const seen: [LimitSubject, ChargeCall, ChargeRequest, string][] = [];
    const limits = {
      charge: async (subject: LimitSubject, c: ChargeCall, r: ChargeRequest, requestId: string) => {
        seen.push([subject, c, r, requestId]);
        return { kind: 'charged', transaction } as LimitedChargeOutcome;
      },
    };
    const direct = { charge: jest.fn() };
    const charged: CreditTransaction[] = [];
    const charges = new RequestCharges({ charges: direct, chargeLimits: limits }, access, (tx) => charged.push(tx));
    expect(await charges.charge(request)).toEqual({ kind: 'charged', transaction });
    expect(seen).toEqual([[{ id: 'sub:alice', budgetClaim: null }, call, request, 'req-1']]);
    expect(direct.charge).not.toHaveBeenCalled();
    expect(charged).toEqual([transaction]);
  });

  it('without limits charges the service directly, and tells no one of an outcome other than a charge', async () => {
    const outcome: ChargeOutcome = { kind: 'insufficient', requiredCredits: 2, availableCredits: 1 };
    const service = { charge: jest.fn(async () => outcome) };
    const onCharged = jest.fn();
    const charges = new RequestCharges({ charges: service }, access, onCharged);
    expect(await charges.charge(request)).toBe(outcome);
    expect(service.charge).toHaveBeenCalledWith(call, request);
    expect(onCharged).not.toHaveBeenCalled();
  });

  it('without credentials sends nothing', async () => {
    const denied = new Error('no credentials');
    const service = { charge: jest.fn() };
    const charges = new RequestCharges(
      { charges: service },
      {
        ...access,
        call: () => {
          throw denied;
        },
      },
      jest.fn(),
    );
    await expect(charges.charge(request)).rejects.toBe(denied);
    expect(service.charge).not.toHaveBeenCalled();
  });
});
