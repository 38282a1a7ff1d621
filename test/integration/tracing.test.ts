/**
 * OpenTelemetry: with an SDK registered (here an in-memory exporter), a charge makes one span
 * tree — the server span named after the operation, continuing the caller's traceparent; the
 * charge with its steps (lookup, send); each upstream call with its attempts — and every
 * upstream request carries a traceparent of that trace. Without tracing no SDK is loaded.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTracingWith, type Tracing } from '../../src/telemetry/setup';
import { startHarness, type Harness } from '../support/harness';

const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let h: Harness;
beforeAll(async () => {
  tracing = await startTracingWith('credits-gateway-test', [new SimpleSpanProcessor(exporter)]);
  h = await startHarness({ retry: { initialDelayMs: 1, maxDelayMs: 5 } });
});
afterAll(async () => {
  await h.close();
  await tracing.shutdown();
});
beforeEach(() => {
  exporter.reset();
  h.sandbox.counters.reset();
  h.sandbox.faults.clear();
});

const CHARGE = `mutation Charge($input: ChargeCreditsInput!) {
  chargeCredits(input: $input) { __typename ... on CreditsCharged { transaction { id } balance { availableCredits } } }
}`;

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN_ID = '00f067aa0ba902b7';

const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId;
const childrenOf = (spans: ReadableSpan[], parent: ReadableSpan) =>
  spans.filter((s) => parentOf(s) === parent.spanContext().spanId);
const one = (spans: ReadableSpan[], name: string): ReadableSpan => {
  const found = spans.filter((s) => s.name === name);
  if (found.length !== 1)
    throw new Error(`expected one span "${name}", got ${found.length}: ${spans.map((s) => s.name).join(', ')}`);
  return found[0]!;
};

describe('tracing a charge', () => {
  it("builds the span tree: operation → charge → lookup/send → upstream call → attempt, under the caller's trace", async () => {
    const res = await h.graphql(
      CHARGE,
      { input: { credits: 1, idempotencyKey: randomUUID() } },
      {
        headers: { traceparent: `00-${TRACE_ID}-${CALLER_SPAN_ID}-01` },
      },
    );
    expect(res.body.errors).toBeUndefined();
    expect((res.body.data as { chargeCredits: { __typename: string } }).chargeCredits.__typename).toBe(
      'CreditsCharged',
    );

    const spans = exporter.getFinishedSpans();
    expect(new Set(spans.map((s) => s.spanContext().traceId))).toEqual(new Set([TRACE_ID]));

    const operation = one(spans, 'mutation Charge');
    expect(operation.kind).toBe(SpanKind.SERVER);
    expect(parentOf(operation)).toBe(CALLER_SPAN_ID);
    expect(operation.attributes).toMatchObject({
      'graphql.operation.type': 'mutation',
      'graphql.operation.name': 'Charge',
      'http.route': '/graphql',
    });

    const charge = one(spans, 'charge');
    expect(parentOf(charge)).toBe(operation.spanContext().spanId);
    expect(charge.attributes['charge.outcome']).toBe('charged');

    const steps = childrenOf(spans, charge).map((s) => s.name);
    expect(steps).toEqual(expect.arrayContaining(['charge.lookup', 'charge.send']));

    // Within the start-up settle window a new key is looked up again after each wait, so a charge
    // has one lookup or more; each is a step of the charge with its own upstream call and attempt.
    const lookups = spans.filter((s) => s.name === 'charge.lookup');
    expect(lookups.length).toBeGreaterThanOrEqual(1);
    for (const lookup of lookups) {
      expect(parentOf(lookup)).toBe(charge.spanContext().spanId);
      const query = one(childrenOf(spans, lookup), 'wix.queryTransactions');
      const queryAttempt = one(childrenOf(spans, query), 'wix.queryTransactions attempt');
      expect(queryAttempt.kind).toBe(SpanKind.CLIENT);
      expect(queryAttempt.attributes).toMatchObject({ 'wix.attempt': 1, 'http.response.status_code': 200 });
    }

    const send = one(spans, 'charge.send');
    const wixCharge = one(childrenOf(spans, send), 'wix.charge');
    one(childrenOf(spans, wixCharge), 'wix.charge attempt');

    // Every upstream request carried a traceparent of this trace, naming its attempt span.
    const attemptIds = new Set(spans.filter((s) => s.name.endsWith(' attempt')).map((s) => s.spanContext().spanId));
    const records = h.sandbox.requests;
    expect(records.length).toBeGreaterThanOrEqual(2);
    for (const record of records) {
      const [version, traceId, spanId] = (record.traceparent ?? '').split('-');
      expect(version).toBe('00');
      expect(traceId).toBe(TRACE_ID);
      expect(attemptIds.has(spanId ?? '')).toBe(true);
    }
  });

  it('gives each retry of an upstream call its own attempt span', async () => {
    h.sandbox.faults.add({ routes: ['balance'], kind: 'status503', times: 1 });
    const res = await h.graphql('query Balance { creditBalance { availableCredits } }');
    expect(res.body.errors).toBeUndefined();
    const spans = exporter.getFinishedSpans();
    const call = one(spans, 'wix.getBalance');
    const attempts = childrenOf(spans, call).filter((s) => s.name === 'wix.getBalance attempt');
    expect(attempts.map((s) => s.attributes['wix.attempt']).sort()).toEqual([1, 2]);
    expect(attempts.map((s) => s.status.code)).toContain(2); // the failed first attempt: SpanStatusCode.ERROR
    expect(one(spans, 'query Balance').kind).toBe(SpanKind.SERVER);
  });
});

describe('without OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  it('loads no OpenTelemetry SDK module with the built gateway and server modules', () => {
    const root = join(__dirname, '..', '..');
    const loaded = execFileSync(
      process.execPath,
      [
        '-e',
        `
      require('reflect-metadata');
      require('./dist/src/gateway');
      require('./dist/src/http/server');
      const sdk = Object.keys(require.cache).filter((k) => /@opentelemetry.(sdk|exporter|resources)/.test(k));
      process.stdout.write(JSON.stringify(sdk));
    `,
      ],
      { cwd: root, encoding: 'utf8' },
    );
    expect(JSON.parse(loaded)).toEqual([]);
  });
});
