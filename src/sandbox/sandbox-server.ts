/**
 * The embedded Wix-compatible upstream: a node:http server (raw sockets are needed to reset
 * connections and to hold requests open) with auth, fault injection and request accounting.
 * This file is the lifecycle (start, dispatch, close) and the test-facing handle; the wire
 * I/O is in wire-io.ts, the faults' effects in fault-answers.ts, the routes in routes.ts.
 */
import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { carryOutFault } from './fault-answers';
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
import { type Parsed, formatUrl, idempotencyKeyOf, parseBody, readBody, send } from './wire-io';

export const DEFAULT_SEED = 20260601;
export const DEFAULT_HISTORY_SIZE = 300;

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
    carryOutFault(req, res, fault, () => execute(req, match, parsed));
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

  const server: Server = createServer((req, res) => readBody(req, res, (text) => dispatch(req, res, text)));
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
