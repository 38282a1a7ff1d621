/**
 * Direct resolvers for the simple query and mutation fields of the type-graphql schema.
 *
 * type-graphql's handler resolver, per call: an async auth middleware behind two async dispatch
 * steps, an async `validateArg` per argument, a `Promise.all` over the parameters and a sort of
 * the parameter list: about ten promises per field before our method runs (twenty aliased
 * lookups pay it twenty times). For a resolver method whose parameters are only scalar `@Arg`s
 * and `@Ctx()`, with no middleware of its own, all of that reduces to what it computes: the
 * scope check of `@RequiresScope` (the same `requireScopes` the auth checker calls, before the
 * method, throwing the same errors), then the method with the arguments as graphql-js coerced
 * them (type-graphql passes scalars through unchanged; validation is off in buildApiSchema).
 * Fields with input objects, roots or middlewares keep type-graphql's resolver.
 */
import { GraphQLScalarType, type GraphQLFieldResolver, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { requireScopes } from '../auth/auth-checker';
import type { Caller } from '../auth/caller';

type ResolverMetadata = ReturnType<typeof getMetadataStorage>['queries'][number];
type ParamMetadata = NonNullable<ResolverMetadata['params']>[number];

/** How one parameter is read from (args, context); null when type-graphql must convert it. */
type ParamReader = (args: Record<string, unknown>, context: unknown) => unknown;

function isScalarTarget(target: unknown): boolean {
  return target instanceof GraphQLScalarType || target === String || target === Number || target === Boolean;
}

function paramReader(param: ParamMetadata): ParamReader | null {
  if (param.kind === 'context' && param.propertyName === undefined) return (_args, context) => context;
  if (param.kind === 'arg' && param.validateFn === undefined && isScalarTarget(param.getType())) {
    const name = param.name;
    return (args) => args[name];
  }
  return null;
}

type Method = (...params: unknown[]) => unknown;

/** A direct resolver for `metadata`, or null when the field needs type-graphql's own. */
function directResolver(metadata: ResolverMetadata): GraphQLFieldResolver<unknown, { caller: Caller }> | null {
  if (metadata.middlewares && metadata.middlewares.length > 0) return null;
  const params = [...(metadata.params ?? [])].sort((a, b) => a.index - b.index);
  const readers: ParamReader[] = [];
  for (const [position, param] of params.entries()) {
    const reader = param.index === position ? paramReader(param) : null;
    if (!reader) return null;
    readers.push(reader);
  }
  // type-graphql keeps one instance per resolver class; resolvers are stateless, so one of ours serves the same.
  const Target = metadata.target as new () => Record<string, Method>;
  const instance = new Target();
  const method = instance[metadata.methodName];
  if (typeof method !== 'function') return null;
  const scopes = (metadata.roles ?? []) as string[];
  const checked = metadata.roles !== undefined;
  return (_root, args, context) => {
    if (checked) requireScopes(context.caller, scopes);
    const values = readers.map((read) => read(args as Record<string, unknown>, context));
    return method.apply(instance, values);
  };
}

function replace(
  type: GraphQLObjectType | null | undefined,
  resolvers: readonly ResolverMetadata[],
  classes: ReadonlySet<Function>,
): string[] {
  if (!type) return [];
  const fields = type.getFields();
  const replaced: string[] = [];
  for (const metadata of resolvers) {
    if (!classes.has(metadata.target)) continue; // another schema's resolver of the same name
    const field = fields[metadata.schemaName];
    if (!field) continue;
    const resolve = directResolver(metadata);
    if (!resolve) continue;
    field.resolve = resolve as GraphQLFieldResolver<unknown, unknown>;
    replaced.push(`${type.name}.${field.name}`);
  }
  return replaced;
}

/**
 * Replaces the resolvers of simple query and mutation fields of `resolverClasses` (those the
 * schema was built from); returns the fields replaced.
 */
export function installDirectResolvers(schema: GraphQLSchema, resolverClasses: readonly Function[]): string[] {
  const storage = getMetadataStorage();
  const classes = new Set(resolverClasses);
  return [
    ...replace(schema.getQueryType(), storage.queries, classes),
    ...replace(schema.getMutationType(), storage.mutations, classes),
  ];
}
