/**
 * Names the request's server span after the GraphQL operation (`query Balance`,
 * `mutation Charge`) and records its type and name, as OpenTelemetry's GraphQL conventions do.
 * Without tracing the plugin adds no per-request hooks at all.
 */
import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import type { OperationDefinitionNode } from 'graphql';
import { activeSpan, tracingEnabled } from './tracing';

/** Names the active span, if any, after the operation (Apollo's plugin and the fast path). */
export function nameOperationSpan(operation: OperationDefinitionNode | undefined, operationName: string | null): void {
  const span = activeSpan();
  if (!span) return;
  const type = operation?.operation ?? 'query';
  span.updateName(operationName ? `${type} ${operationName}` : type);
  span.setAttribute('graphql.operation.type', type);
  if (operationName) span.setAttribute('graphql.operation.name', operationName);
}

export function operationSpanPlugin<TContext extends object>(): ApolloServerPlugin<TContext> {
  const hooks: GraphQLRequestListener<TContext> = {
    async didResolveOperation({ operation, operationName }) {
      nameOperationSpan(operation, operationName);
    },
  };
  return {
    async requestDidStart() {
      return tracingEnabled() ? hooks : undefined;
    },
  };
}
