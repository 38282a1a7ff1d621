/**
 * Spans for the gateway's own work, through the OpenTelemetry API. Tracing is off until
 * startTracing (telemetry/setup.ts) registers an SDK: until then every helper here calls the
 * wrapped function directly (no span object, no context switch), so the cost when tracing is off
 * is one boolean test.
 */
import { context, propagation, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';

export const TRACER_NAME = 'credits-gateway';

let enabled = false;

/** Called once an SDK is registered (telemetry/setup.ts). */
export function markTracingEnabled(on: boolean): void {
  enabled = on;
}

export function tracingEnabled(): boolean {
  return enabled;
}

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
}

/**
 * Runs `fn` inside a new active span (child of the current one) that ends when `fn` settles;
 * a thrown error marks the span as failed. Without tracing, `fn` gets null and runs as is.
 */
export function withSpan<T>(name: string, options: SpanOptions, fn: (span: Span | null) => Promise<T>): Promise<T> {
  if (!enabled) return fn(null);
  return trace
    .getTracer(TRACER_NAME)
    .startActiveSpan(
      name,
      { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes },
      async (span) => {
        try {
          return await fn(span);
        } catch (error) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
          if (error instanceof Error) span.setAttribute('error.type', error.name);
          throw error;
        } finally {
          span.end();
        }
      },
    );
}

/** Runs `fn` in a server span continuing the caller's W3C trace context (traceparent), if any. */
export function withServerSpan<T>(
  name: string,
  headers: Record<string, string | string[] | undefined>,
  attributes: Attributes,
  fn: () => Promise<T>,
): Promise<T> {
  if (!enabled) return fn();
  const parent = propagation.extract(context.active(), headers);
  return context.with(parent, () => withSpan(name, { kind: SpanKind.SERVER, attributes }, () => fn()));
}

/** Adds the current trace context (traceparent, tracestate) to outgoing headers. */
export function injectTraceContext(headers: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  if (!enabled) return headers;
  const withContext = { ...headers };
  propagation.inject(context.active(), withContext);
  return withContext;
}

/** The active span, when tracing: to name it or add attributes. */
export function activeSpan(): Span | undefined {
  return enabled ? trace.getActiveSpan() : undefined;
}

export { SpanKind };
