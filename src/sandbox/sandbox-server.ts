/**
 * The embedded Wix-compatible upstream: a node:http server (raw sockets are needed to reset
 * connections and to hold requests open) with auth, fault injection and request accounting.
 */
import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WireTransaction } from './wire';
import { authenticate } from './auth';
import { SandboxHttpError, applicationError, invalidField } from './errors';
import { FaultInjector } from './faults';
import { Ledger } from './ledger';
import { Prng } from './prng';
import { RequestLog } from './request-log';
import { type HandlerContext, type HandlerResult, type RouteMatch, handle, matchRoute } from './routes';
import { DEMO_ACCOUNT, OTHER_ACCOUNT, seedDemoAccounts, seedHistory } from './seed';
import type {
  BalanceSnapshot,
  CreateAccountOptions,
  FaultRule,
  RequestRecord,
  Sandbox,
  SandboxAccount,
  SandboxOptions,
} from './types';

export const DEFAULT_SEED = 20260601;
export const DEFAULT_HISTORY_SIZE = 300;
const MAX_BODY_BYTES = 1024 * 1024;

type Parsed = { ok: true; value: unknown } | { ok: false };

function parseBody(text: string): Parsed {
  // Curl users often send no body at all to Get Balance; treat that as `{}`.
  if (text.trim() === '') return { ok: true, value: {} };
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? { ok: true, value } : { ok: false };
  } catch {
    return { ok: false };
  }
}

function idempotencyKeyOf(parsed: Parsed): string | undefined {
  if (!parsed.ok) return undefined;
  const key = (parsed.value as { idempotencyKey?: unknown }).idempotencyKey;
  return typeof key === 'string' ? key : undefined;
}

/** Size of the padding the oversizedBody fault answers with. */
export const OVERSIZED_BODY_BYTES = 6 * 1024 * 1024;

function send(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  if (res.destroyed || res.writableEnded) return;
  const payload = body === undefined ? '' : JSON.stringify(body);
  const headers: Record<string, string | number> = {
    'x-wix-request-id': randomUUID(),
    'content-length': Buffer.byteLength(payload),
    ...extra,
  };
  if (payload !== '') headers['content-type'] = 'application/json; charset=utf-8';
  res.writeHead(status, headers);
  res.end(payload);
}

/** A TCP RST where the platform allows it, so clients see ECONNRESET rather than a clean close. */
function resetSocket(req: IncomingMessage): void {
  const socket = req.socket;
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
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

function formatUrl(address: AddressInfo): string {
  const host = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const seed = options.seed ?? DEFAULT_SEED;
  const startedAt = Date.now();
  const ledger = new Ledger({
    creditPrice: options.creditPrice ?? '0.05',
    currencyCode: options.currencyCode ?? 'USD',
  });
  seedDemoAccounts(ledger, { historySize: options.historySize ?? DEFAULT_HISTORY_SIZE, seed, nowMs: startedAt });
  const faults = new FaultInjector(seed);
  const log = new RequestLog();
  const accountPrng = new Prng(seed ^ 0x5eed);
  const timers = new Set<NodeJS.Timeout>();
  let deduplicate = options.deduplicate ?? true;

  /** Runs the request against the ledger; never throws, so a reset-after-commit can drop the answer. */
  function execute(req: IncomingMessage, match: RouteMatch, parsed: Parsed): SandboxHttpError | HandlerResult {
    try {
      const account = authenticate(req.headers, ledger);
      if (!parsed.ok) throw invalidField('body', 'request body must be a JSON object', 'FORMAT');
      const ctx: HandlerContext = {
        ledger,
        deduplicate,
        unknownCursorStatus: options.unknownCursorStatus ?? 400,
        now: Date.now(),
      };
      return handle(match, account, parsed.value, ctx);
    } catch (err) {
      return err instanceof SandboxHttpError ? err : applicationError(500, 'INTERNAL_ERROR', 'Internal error');
    }
  }

  function respond(res: ServerResponse, outcome: SandboxHttpError | HandlerResult): void {
    if (outcome instanceof SandboxHttpError) send(res, outcome.status, outcome.body, outcome.headers);
    else send(res, outcome.status, outcome.body);
  }

  function proceed(
    req: IncomingMessage,
    res: ServerResponse,
    match: RouteMatch,
    parsed: Parsed,
    fault?: FaultRule,
  ): void {
    if (!fault) return respond(res, execute(req, match, parsed));
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
        execute(req, match, parsed);
        return resetSocket(req);
      }
      default: {
        const err = faultResponse(fault);
        return send(res, err.status, err.body, err.headers);
      }
    }
  }

  function dispatch(req: IncomingMessage, res: ServerResponse, text: string): void {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const match = matchRoute(req.method, path);
    const parsed = parseBody(text);
    const fault = match ? faults.pick(match.route) : undefined;
    const record: RequestRecord = {
      route: match?.route ?? 'unknown',
      method: req.method ?? '',
      path,
      body: text,
      at: Date.now(),
    };
    if (match?.route === 'charge') {
      const key = idempotencyKeyOf(parsed);
      if (key !== undefined) record.idempotencyKey = key;
    }
    if (fault) record.fault = fault.kind;
    const traceparent = req.headers.traceparent;
    if (typeof traceparent === 'string') record.traceparent = traceparent;
    log.record(record);

    if (!match) {
      send(res, 404, applicationError(404, 'NOT_FOUND', `No route for ${req.method ?? ''} ${path}`).body);
      return;
    }
    const delay = faults.latencyFor(match.route);
    if (delay > 0) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        proceed(req, res, match, parsed, fault);
      }, delay);
      timers.add(timer);
    } else {
      proceed(req, res, match, parsed, fault);
    }
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) send(res, 413, applicationError(413, 'PAYLOAD_TOO_LARGE', 'Request body too large').body);
      else
        dispatch(req, res, chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8'));
    });
    // A client that vanishes mid-request is not the sandbox's problem.
    req.on('error', () => undefined);
  });
  // Longer than common client pools' idle timeout, so the server is not the side that drops warm sockets.
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const url = formatUrl(server.address() as AddressInfo);

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.close(() => resolve());
      // Idle keep-alive sockets and hanging requests alike.
      server.closeAllConnections();
    });
    return closing;
  };

  const sandbox: Sandbox = {
    url,
    demo: { ...DEMO_ACCOUNT },
    other: { ...OTHER_ACCOUNT },
    faults,
    counters: log,
    get requests(): RequestRecord[] {
      return log.requests;
    },
    setDeduplication(on: boolean): void {
      deduplicate = on;
    },
    createAccount(opts: CreateAccountOptions = {}): SandboxAccount {
      const account: SandboxAccount = {
        apiKey: `sandbox-key-${randomUUID()}`,
        accountId: randomUUID(),
        siteId: randomUUID(),
      };
      ledger.addAccount({
        ...account,
        periodic: opts.periodic ?? 250,
        periodicCap: opts.periodicCap,
        topUp: opts.topUp ?? 0,
      });
      if (opts.history && opts.history > 0)
        seedHistory(ledger, account.accountId, opts.history, accountPrng.int(2 ** 31), Date.now());
      return account;
    },
    balanceOf(accountId: string): BalanceSnapshot {
      return ledger.balance(accountId);
    },
    transactionsOf(accountId: string): WireTransaction[] {
      return ledger.transactions(accountId);
    },
    close,
  };
  return sandbox;
}
