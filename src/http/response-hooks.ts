/**
 * What happens once a response has been sent, for every route: the request's deadline timer
 * goes, its duration is observed by (route, status), and with LOG_REQUESTS one line is logged.
 */
import type { FastifyInstance } from 'fastify';
import type { RequestDeadline } from '../common/abortable';
import type { GatewayMetrics } from '../telemetry/metrics';

declare module 'fastify' {
  interface FastifyRequest {
    /** The GraphQL request's deadline, disposed when the response has been sent. */
    gatewayDeadline: RequestDeadline | null;
  }
}

/** Histogram children pre-bound per (route, status): no label hashing per request. */
function boundDurationObserver(metrics: GatewayMetrics): (route: string, status: number, seconds: number) => void {
  const children = new Map<string, { observe(value: number): void }>();
  return (route, status, seconds) => {
    const key = `${status} ${route}`;
    let child = children.get(key);
    if (!child) children.set(key, (child = metrics.httpDuration.labels(route, String(status))));
    child.observe(seconds);
  };
}

export function addResponseHooks(app: FastifyInstance, metrics: GatewayMetrics, logRequests: boolean): void {
  app.decorateRequest('gatewayDeadline', null);
  const observeDuration = boundDurationObserver(metrics);
  app.addHook('onResponse', (request, reply, done) => {
    request.gatewayDeadline?.dispose();
    const seconds = reply.elapsedTime / 1000;
    observeDuration(request.routeOptions.url ?? 'unknown', reply.statusCode, seconds);
    if (logRequests) {
      request.log.info(
        { method: request.method, url: request.url, statusCode: reply.statusCode, ms: Math.round(seconds * 1e4) / 10 },
        'request',
      );
    }
    done();
  });
}
