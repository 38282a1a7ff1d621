/**
 * How the sandbox carries out an injected fault (faults.ts only decides which): connection resets
 * before or after the commit, a request left hanging, hostile or oversized answers, and the
 * error statuses Wix and the proxies in front of it answer with.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SandboxHttpError, applicationError } from './errors';
import type { FaultRule } from './types';
import { resetSocket, send } from './wire-io';

/** Size of the padding the oversizedBody fault answers with. */
export const OVERSIZED_BODY_BYTES = 6 * 1024 * 1024;

/**
 * Answers `req` as `fault` says. `commit` runs the request against the ledger without answering
 * (resetAfterCommit: the debit happens, the answer is lost).
 */
export function carryOutFault(req: IncomingMessage, res: ServerResponse, fault: FaultRule, commit: () => void): void {
  switch (fault.kind) {
    case 'resetBeforeCommit':
      return resetSocket(req);
    case 'hang':
      // Left unanswered; close() destroys the socket.
      return;
    case 'oversizedBody':
      // Otherwise a valid balance answer (unknown fields must not break decoding): only its size is wrong.
      return send(res, 200, {
        periodicCredits: { balance: 1, cap: 1 },
        creditBalanceBreakdown: [],
        padding: 'x'.repeat(OVERSIZED_BODY_BYTES),
      });
    case 'hostileStrings':
      return send(
        res,
        400,
        {
          message: 'bad',
          details: { applicationError: { code: `"}{"level":60,"msg":"x ${'C'.repeat(5_000)}`, description: 'd' } },
        },
        { 'x-wix-request-id': `"} {"level":60,"msg":"forged ${'r'.repeat(5_000)}` },
      );
    case 'resetAfterCommit': {
      // Commit (for charge, the debit happens), then cut the connection without answering.
      commit();
      return resetSocket(req);
    }
    default: {
      const err = faultResponse(fault);
      return send(res, err.status, err.body, err.headers);
    }
  }
}

function faultResponse(rule: FaultRule): SandboxHttpError {
  switch (rule.kind) {
    case 'status429': {
      const headers: Record<string, string> =
        rule.retryAfterSeconds !== undefined ? { 'retry-after': String(rule.retryAfterSeconds) } : {};
      const err = applicationError(429, 'TOO_MANY_REQUESTS', 'Rate limit exceeded');
      return new SandboxHttpError(429, err.body, headers);
    }
    case 'status500':
      return applicationError(500, 'INTERNAL_ERROR', 'Internal error');
    case 'status503':
      return applicationError(503, 'UNAVAILABLE', 'Service unavailable');
    // Proxies answer 502/504 with no body: clients must cope with empty 5xx bodies.
    case 'status502':
      return new SandboxHttpError(502, undefined);
    default:
      return new SandboxHttpError(504, undefined);
  }
}
