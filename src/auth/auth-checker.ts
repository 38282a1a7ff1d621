/**
 * type-graphql's `@Authorized(scope)` → this checker. A field that needs a scope the caller's
 * token lacks is FORBIDDEN naming the scope; without a token, UNAUTHENTICATED. Nothing reaches
 * the resolver (or the upstream) then.
 */
import { GraphQLError } from 'graphql';
import { Authorized, Directive, type AuthChecker } from 'type-graphql';
import type { Caller } from './caller';
import type { Scope } from './scopes';

export function forbidden(scope: string): GraphQLError {
  return new GraphQLError(`This operation needs the scope ${scope}, which the bearer token does not grant.`, {
    extensions: { code: 'FORBIDDEN', requiredScope: scope },
  });
}

function unauthenticatedCaller(): GraphQLError {
  return new GraphQLError('This operation needs an Authorization: Bearer <token> header.', {
    extensions: { code: 'UNAUTHENTICATED' },
  });
}

/** Throws unless the caller holds every scope. */
export function requireScopes(caller: Caller, scopes: readonly string[]): void {
  if (!caller.enforced) return;
  if (!caller.principal) throw unauthenticatedCaller();
  for (const scope of scopes) if (!caller.principal.scopes.has(scope)) throw forbidden(scope);
}

export const scopeAuthChecker: AuthChecker<{ caller: Caller }, string> = ({ context }, scopes) => {
  requireScopes(context.caller, scopes);
  return true;
};

type FieldDecorator = ReturnType<typeof Authorized>;

/**
 * A field that needs `scopes` (all of them): enforced here by `@Authorized`, and declared in the
 * subgraph SDL (`@authenticated @requiresScopes`) for a router to enforce too.
 */
export function RequiresScope(...scopes: Scope[]): FieldDecorator {
  const decorators: FieldDecorator[] = [
    Authorized<string>(...scopes),
    Directive(`@requiresScopes(scopes: [[${scopes.map((s) => JSON.stringify(s)).join(', ')}]])`) as FieldDecorator,
    Directive('@authenticated') as FieldDecorator,
  ];
  // type-graphql prints directives in reverse order of application: @authenticated comes first.
  return ((target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => {
    for (const decorate of decorators)
      (decorate as (t: object, k?: string | symbol, d?: PropertyDescriptor) => void)(target, key, descriptor);
  }) as FieldDecorator;
}
