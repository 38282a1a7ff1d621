/**
 * A server span around a GraphQL route's handler, continuing the caller's traceparent. The
 * operation-span plugin renames it after the operation; upstream calls and charge steps become
 * its children. Without tracing the handler is returned unchanged.
 */
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
  RouteGenericInterface,
  RouteHandlerMethod,
} from 'fastify';
import { activeSpan, tracingEnabled, withServerSpan } from './tracing';

type Handler<R extends RouteGenericInterface> = RouteHandlerMethod<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  R
>;

export function tracedHandler<R extends RouteGenericInterface>(route: string, handler: Handler<R>): Handler<R> {
  return function traced(this: FastifyInstance, request: FastifyRequest<R>, reply: FastifyReply<R>) {
    if (!tracingEnabled()) return handler.call(this, request, reply);
    const attributes = { 'http.request.method': request.method, 'http.route': route };
    const traced = withServerSpan(`${request.method} ${route}`, request.headers, attributes, async () => {
      const result = await handler.call(this, request, reply);
      activeSpan()?.setAttribute('http.response.status_code', reply.statusCode);
      return result;
    });
    // The same value the handler gives, awaited inside the span: Fastify treats both alike.
    return traced as ReturnType<Handler<R>>;
  };
}
