/**
 * Turns a non-2xx upstream answer into a WixHttpError. Wix bodies come in two published
 * shapes (applicationError, validationError); 5xx bodies may be empty and proxies may answer
 * with HTML, so anything else still yields a typed error carrying the status.
 */
import { sanitizeForLog } from '../common/log-safe';
import type { WixErrorBody, WixFieldViolation } from './wix-json';
import { WixHttpError, type WixOperation } from './wix-errors';

/** Longest upstream error code kept. */
export const WIX_ERROR_CODE_MAX_LENGTH = 64;

function parseBody(text: string): WixErrorBody | null {
  if (text.trim() === '') return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as WixErrorBody) : null;
  } catch {
    return null;
  }
}

function violations(body: WixErrorBody | null): WixFieldViolation[] {
  const list = body?.details?.validationError?.fieldViolations;
  if (!Array.isArray(list)) return [];
  return list
    .filter((v): v is WixFieldViolation => typeof v === 'object' && v !== null && typeof v.field === 'string')
    .map((v) => ({
      field: v.field,
      description: typeof v.description === 'string' ? v.description : '',
      ...(typeof v.violatedRule === 'string' ? { violatedRule: v.violatedRule } : {}),
    }));
}

/** `Retry-After` is either delta-seconds or an HTTP date. */
export function parseRetryAfter(header: string | undefined, now = Date.now()): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, (date - now) / 1000);
}

export function decodeWixError(
  operation: WixOperation,
  status: number,
  bodyText: string,
  requestId: string | null,
  retryAfter?: string,
): WixHttpError {
  const body = parseBody(bodyText);
  const app = body?.details?.applicationError;
  const fieldViolations = violations(body);
  const data = app && typeof app.data === 'object' && app.data !== null && !Array.isArray(app.data) ? app.data : null;
  return new WixHttpError(operation, {
    status,
    // Logged: sanitized and capped like any string from outside.
    code:
      typeof app?.code === 'string'
        ? sanitizeForLog(app.code, WIX_ERROR_CODE_MAX_LENGTH)
        : fieldViolations.length > 0
          ? 'VALIDATION_ERROR'
          : null,
    description:
      typeof app?.description === 'string' ? app.description : typeof body?.message === 'string' ? body.message : null,
    data,
    fieldViolations,
    requestId,
    retryAfterSeconds: parseRetryAfter(retryAfter),
  });
}
