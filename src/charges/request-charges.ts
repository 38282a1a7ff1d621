/**
 * Charges as one request makes them: the charge service (behind the per-caller limits when
 * configured) with the request's credentials, deadline, caller and request id already bound,
 * so a resolver passes only the validated charge.
 */
import type { Caller } from '../auth/caller';
import type { CreditTransaction } from '../domain/credits';
import type { ChargeRequest } from '../domain/charge-request';
import type { ChargeCall, ChargeService } from './charge-service';
import type { ChargeLimits, LimitedChargeOutcome } from './limits/charge-limits';
import { limitSubjectOf } from './limits/limit-subject';

/** Long-lived collaborators of every request's charges. */
export interface ChargeServices {
  charges: Pick<ChargeService, 'charge'>;
  /** Rate and budget per caller around `charges`, and the audit line of every charge. */
  chargeLimits?: Pick<ChargeLimits, 'charge'>;
}

/** What a request's charges are bound to. */
export interface ChargeAccess {
  readonly requestId: string;
  readonly caller: Caller;
  /** Credentials, tenant and deadline; throws UNAUTHENTICATED when the request has none. */
  call(): ChargeCall;
}

export class RequestCharges {
  constructor(
    private readonly services: ChargeServices,
    private readonly access: ChargeAccess,
    /** Told of every transaction charged, so the request's later reads see it. */
    private readonly onCharged: (transaction: CreditTransaction) => void,
  ) {}

  async charge(request: ChargeRequest): Promise<LimitedChargeOutcome> {
    const { services, access } = this;
    const call = access.call();
    const outcome = services.chargeLimits
      ? await services.chargeLimits.charge(limitSubjectOf(access.caller, call.tenant), call, request, access.requestId)
      : await services.charges.charge(call, request);
    if (outcome.kind === 'charged') this.onCharged(outcome.transaction);
    return outcome;
  }
}
