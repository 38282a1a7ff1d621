/**
 * The one module that talks to Wix AI Credits. Operations take the caller's credentials and an
 * optional abort signal (the GraphQL request's deadline) and return domain objects.
 * Its ~250 lines are the five operations (balance, charge, one, a page, by ids), read collapsing
 * and the span around each call: one file because it is the one place that knows Wix's routes.
 */
import type { CreditBalance, CreditTransaction, TransactionPage, TransactionQuery } from '../domain/credits';
import type { ChargeRequest } from '../domain/charge-request';
import type { Guid } from '../domain/guid';
import type { CallerCredentials, CallSignal, UpstreamCallOptions } from '../domain/upstream-call';
import { requestHeaders } from './wix-credentials';
import { ReadCollapser } from './read-collapser';
import { WixHttpError, WixResponseDecodeError, WixTimeoutError, type WixOperation } from './wix-errors';
import { WixHttp, type WixHttpAnswer } from './wix-http';
import {
  WixDecodeError,
  decodeBalance,
  decodeQueryResponse,
  decodeTransactionResponse,
  encodeChargeRequest,
  encodeQueryRequest,
} from './wix-mapping';
import { CREDIT_TRANSACTIONS_PATH } from './wix-json';
import { singleAttemptPolicy, type CallOptions, type WixCallPolicy } from './wix-policy';
import type { Span } from '@opentelemetry/api';
import { injectTraceContext, SpanKind, withSpan } from '../telemetry/tracing';
import { CallerInputRejectedError, type ReadUpstream } from '../reader/read-upstream';

/**
 * Wix's query limit: also the size of one `id $in` batch. The reader's port asks for up to
 * READ_BATCH_SIZE (read-upstream.ts) in one call; a larger batch is split here.
 */
export const MAX_QUERY_LIMIT = 100;

export interface WixClientOptions {
  baseUrl: string;
  /** Time limit of one attempt (the gateway passes WIX_ATTEMPT_TIMEOUT_MS). */
  attemptTimeoutMs: number;
  connections?: number;
  /** Longest upstream body read (WIX_MAX_RESPONSE_BYTES). */
  maxResponseBytes?: number;
  /** Idle upstream connections kept this long; absent: undici's default. */
  keepAliveMs?: number;
  /** Retry/breaker policy for reads (balance, get, query). */
  readPolicy?: WixCallPolicy;
  /** Policy for a single charge attempt: a breaker at most; charge retries live in the charge service. */
  chargePolicy?: WixCallPolicy;
  /** Identical reads in flight for one tenant share one call (default true; COLLAPSE_READS). */
  collapseReads?: boolean;
}

/** One upstream operation: what is sent and how its answer is decoded. */
interface UpstreamCall<T> {
  operation: WixOperation;
  method: 'GET' | 'POST';
  /** Below the credit-transactions path. */
  path: string;
  body: string | undefined;
  decode: (json: unknown) => T;
  /** Carries input a caller chose (see CallOptions): outside the breaker's accounting. */
  callerInput?: boolean;
}

/** Who a call acts as: the exact credentials and context, so shared answers never cross tenants. */
function collapseTenant(credentials: CallerCredentials): string {
  return credentials.accountId !== undefined
    ? `${credentials.authorization}\naccount:${credentials.accountId}`
    : `${credentials.authorization}\nsite:${credentials.siteId}`;
}

/** A 400 to a call carrying a caller's cursor: Wix refused the cursor (edited or expired). */
function rejectedCallerInput(error: unknown): never {
  if (error instanceof WixHttpError && error.status === 400) {
    throw new CallerInputRejectedError('The upstream refused the cursor a caller resumed from.', { cause: error });
  }
  throw error;
}

export class WixClient implements ReadUpstream {
  private readonly http: WixHttp;
  private readonly attemptTimeoutMs: number;
  private readonly readPolicy: WixCallPolicy;
  private readonly chargePolicy: WixCallPolicy;
  /** Null when COLLAPSE_READS=false. */
  readonly collapser: ReadCollapser | null;

  constructor(options: WixClientOptions) {
    this.collapser = options.collapseReads === false ? null : new ReadCollapser();
    this.http = new WixHttp({
      baseUrl: options.baseUrl,
      connections: options.connections,
      maxResponseBytes: options.maxResponseBytes,
      keepAliveMs: options.keepAliveMs,
    });
    this.attemptTimeoutMs = options.attemptTimeoutMs;
    this.readPolicy = options.readPolicy ?? singleAttemptPolicy;
    this.chargePolicy = options.chargePolicy ?? singleAttemptPolicy;
  }

  getBalance(options: UpstreamCallOptions): Promise<CreditBalance> {
    return this.read(options, {
      operation: 'getBalance',
      method: 'POST',
      path: '/balance',
      body: '{}',
      decode: decodeBalance,
    });
  }

  /**
   * One charge attempt (behind the charge breaker, never retried here): a lost answer must be
   * resolved by looking the idempotency key up, which the charge service does.
   * `body` lets a retry resend the exact bytes of the first attempt.
   */
  charge(
    options: UpstreamCallOptions,
    request: ChargeRequest,
    body = WixClient.chargeBody(request),
  ): Promise<CreditTransaction> {
    const charged = this.call(this.chargePolicy, options, {
      operation: 'charge',
      method: 'POST',
      path: '/charge',
      body,
      decode: decodeTransactionResponse,
    });
    const collapser = this.collapser;
    if (collapser) {
      // Settled either way (an unanswered charge may have committed): later reads go upstream afresh.
      const wrote = () => collapser.wrote(collapseTenant(options.credentials));
      charged.then(wrote, wrote);
    }
    return charged;
  }

  static chargeBody(request: ChargeRequest): string {
    return JSON.stringify(encodeChargeRequest(request));
  }

  /** `null` when the id is unknown to (or not visible for) these credentials. */
  async getTransaction(options: UpstreamCallOptions, id: Guid): Promise<CreditTransaction | null> {
    try {
      return await this.read(options, {
        operation: 'getTransaction',
        method: 'GET',
        path: `/${encodeURIComponent(id)}`,
        body: undefined,
        decode: decodeTransactionResponse,
      });
    } catch (error) {
      if (error instanceof WixHttpError && error.status === 404) return null;
      throw error;
    }
  }

  /** `callOptions.callerInput`: the query resumes from a cursor a caller handed back (see CallOptions). */
  queryTransactions(
    options: UpstreamCallOptions,
    query: TransactionQuery,
    callOptions: CallOptions = {},
  ): Promise<TransactionPage> {
    const limit = query.limit === undefined ? undefined : Math.min(query.limit, MAX_QUERY_LIMIT);
    const body = JSON.stringify(encodeQueryRequest({ ...query, limit }));
    const page = this.read(options, {
      operation: 'queryTransactions',
      method: 'POST',
      path: '/query',
      body,
      decode: decodeQueryResponse,
      callerInput: callOptions.callerInput,
    });
    return callOptions.callerInput ? page.catch(rejectedCallerInput) : page;
  }

  /**
   * One query call per ≤ 100 distinct ids (in parallel); results in input order, `null` for
   * unknown ids. Ids asked for and ids answered are both canonical GUIDs: they match as they are.
   */
  async getTransactionsByIds(
    options: UpstreamCallOptions,
    ids: readonly Guid[],
  ): Promise<(CreditTransaction | null)[]> {
    const distinct = [...new Set(ids)];
    const chunks: Guid[][] = [];
    for (let i = 0; i < distinct.length; i += MAX_QUERY_LIMIT) chunks.push(distinct.slice(i, i + MAX_QUERY_LIMIT));
    const pages = await Promise.all(
      chunks.map((chunk) => this.queryTransactions(options, { filter: { ids: chunk }, limit: MAX_QUERY_LIMIT })),
    );
    const byId = new Map<Guid, CreditTransaction>();
    for (const page of pages) for (const tx of page.items) byId.set(tx.id, tx);
    return ids.map((id) => byId.get(id) ?? null);
  }

  close(): Promise<void> {
    return this.http.close();
  }

  /** A read through the read policy, shared with an identical one in flight unless collapsing is off. */
  private read<T>(options: UpstreamCallOptions, call: UpstreamCall<T>): Promise<T> {
    if (!this.collapser || options.fresh) return this.call(this.readPolicy, options, call);
    const { credentials } = options;
    return this.collapser.run(
      collapseTenant(credentials),
      `${call.callerInput ? 'caller-input ' : ''}${call.method} ${call.path}\n${call.body ?? ''}`,
      options.signal,
      (signal) => this.call(this.readPolicy, { credentials, signal }, call),
      () => new WixTimeoutError(call.operation, null),
    );
  }

  private call<T>(policy: WixCallPolicy, options: UpstreamCallOptions, call: UpstreamCall<T>): Promise<T> {
    const { operation, method } = call;
    const headers = requestHeaders(options.credentials, call.body !== undefined);
    let attempt = 0;
    // Spans: one per upstream call, one per attempt inside it (retries are attempts 2, 3, …).
    return withSpan(`wix.${operation}`, { kind: SpanKind.INTERNAL, attributes: { 'wix.operation': operation } }, () =>
      policy.execute(
        operation,
        options.signal,
        ({ signal }) =>
          withSpan(
            `wix.${operation} attempt`,
            { kind: SpanKind.CLIENT, attributes: { 'wix.attempt': ++attempt, 'http.request.method': method } },
            (span) => this.attempt(call, injectTraceContext(headers), signal, span),
          ),
        { callerInput: call.callerInput },
      ),
    );
  }

  private async attempt<T>(
    { operation, method, path, body, decode }: UpstreamCall<T>,
    headers: Readonly<Record<string, string>>,
    signal: CallSignal | undefined,
    span: Span | null,
  ): Promise<T> {
    const answer: WixHttpAnswer = await this.http.send({
      operation,
      method,
      path: CREDIT_TRANSACTIONS_PATH + path,
      body,
      headers,
      timeoutMs: this.attemptTimeoutMs,
      signal,
    });
    span?.setAttribute('http.response.status_code', answer.status);
    try {
      return decode(answer.json);
    } catch (error) {
      if (error instanceof WixDecodeError) throw new WixResponseDecodeError(operation, error.message, answer.requestId);
      throw error;
    }
  }
}
