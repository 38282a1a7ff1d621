/**
 * Turns tracing on: an OpenTelemetry SDK with a W3C trace-context propagator and an
 * AsyncLocalStorage context manager, exporting over OTLP/HTTP. The SDK packages are imported
 * only here, lazily, so a gateway without OTEL_EXPORTER_OTLP_ENDPOINT never loads them.
 */
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { markTracingEnabled } from './tracing';

export interface TracingConfig {
  /** OTLP/HTTP base URL (OTEL_EXPORTER_OTLP_ENDPOINT); traces go to `<endpoint>/v1/traces`. */
  endpoint: string;
  serviceName: string;
}

export interface Tracing {
  /** Flushes pending spans and stops tracing. */
  shutdown(): Promise<void>;
}

/** Registers the SDK with the given span processors (tests pass an in-memory exporter's). */
export async function startTracingWith(serviceName: string, spanProcessors: SpanProcessor[]): Promise<Tracing> {
  const [{ NodeTracerProvider }, { resourceFromAttributes }] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/resources'),
  ]);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors,
  });
  provider.register(); // global tracer provider, W3C traceparent propagator, AsyncLocalStorage context
  markTracingEnabled(true);
  return {
    async shutdown() {
      markTracingEnabled(false);
      await provider.shutdown();
    },
  };
}

/** Tracing exported over OTLP/HTTP in batches. */
export async function startTracing(config: TracingConfig): Promise<Tracing> {
  const [{ OTLPTraceExporter }, { BatchSpanProcessor }] = await Promise.all([
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/sdk-trace-base'),
  ]);
  const url = `${config.endpoint.replace(/\/+$/, '')}/v1/traces`;
  return startTracingWith(config.serviceName, [new BatchSpanProcessor(new OTLPTraceExporter({ url }))]);
}
