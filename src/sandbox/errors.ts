/**
 * Wix error bodies, and the exception that carries one out of a handler to the HTTP layer.
 */
import type { WireErrorBody, WireFieldViolation } from './wire';

export class SandboxHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: WireErrorBody | undefined,
    readonly headers: Record<string, string> = {},
  ) {
    super(body?.message ?? `HTTP ${status}`);
    this.name = 'SandboxHttpError';
  }
}

export function applicationError(
  status: number,
  code: string,
  description: string,
  data: Record<string, unknown> = {},
): SandboxHttpError {
  return new SandboxHttpError(status, {
    message: description,
    details: { applicationError: { code, description, data } },
  });
}

export function validationError(fieldViolations: WireFieldViolation[]): SandboxHttpError {
  const message = fieldViolations.map((v) => `${v.field}: ${v.description}`).join('; ');
  return new SandboxHttpError(400, { message, details: { validationError: { fieldViolations } } });
}

export function violation(field: string, description: string, violatedRule: string): WireFieldViolation {
  return { field, description, violatedRule };
}

/** One invalid field: the common case in query parsing. */
export function invalidField(field: string, description: string, violatedRule = 'VALIDATION'): SandboxHttpError {
  return validationError([violation(field, description, violatedRule)]);
}

export const notFound = (description: string): SandboxHttpError => applicationError(404, 'NOT_FOUND', description);
