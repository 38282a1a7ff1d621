/**
 * Prometheus metrics (prom-client): process defaults, request latency per route and status,
 * and the circuit breakers' state. One registry per gateway, so tests can run several.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface GatewayMetrics {
  registry: Registry;
  httpDuration: Histogram<'route' | 'status'>;
  graphqlErrors: Counter<'code'>;
  breakerOpen: Gauge<'operation_class'>;
}

export function createMetrics(collectDefaults = true): GatewayMetrics {
  const registry = new Registry();
  if (collectDefaults) collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'gateway_http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    graphqlErrors: new Counter({
      name: 'gateway_graphql_errors_total',
      help: 'GraphQL errors sent to clients, by code',
      labelNames: ['code'],
      registers: [registry],
    }),
    breakerOpen: new Gauge({
      name: 'gateway_upstream_breaker_open',
      help: '1 while the circuit breaker of an operation class is open or half-open',
      labelNames: ['operation_class'],
      registers: [registry],
    }),
  };
}
