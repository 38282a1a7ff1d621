/**
 * Validation of `chargeCredits` input before any upstream call, against the one definition of a
 * charge request (domain/charge-request.ts). Each rule names the field it guards (as
 * `input.<path>`), so a client learns exactly what to fix.
 */
import { chargeRequestSchema, type ChargeRequest, type ChargeRequestInput } from '../../domain/charge-request';
import { badUserInput } from '../errors';

/** Validates and normalizes: absent and null optional fields become absent, GUIDs canonical. */
export function validateChargeInput(input: ChargeRequestInput): ChargeRequest {
  const parsed = chargeRequestSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = ['input', ...issue.path.map(String)].join('.');
    throw badUserInput(field, `${field} ${issue.message}`);
  }
  return parsed.data;
}
