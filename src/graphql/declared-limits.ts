/**
 * Limits of arguments, declared where a field and its input types are declared, as GraphQL
 * extensions: `argumentLimits` on a field (its own arguments, by name), `limitsOf` on an input
 * field (wherever its input type is used as an argument). The argument-limits plugin finds them
 * here, once per schema, and knows no field by name. Descriptions state the same constants.
 */
import {
  getNullableType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  type GraphQLField,
  type GraphQLInputObjectType,
  type GraphQLSchema,
} from 'graphql';
import { GUID_FORMAT_HINT, GUID_PATTERN } from '../domain/guid';

/** A bound on one argument or input field value. */
export interface ValueLimit {
  /** An integer from `min` to `max`. */
  range?: { min: number; max: number };
  /** A list of at most this many values. */
  maxItems?: number;
  /** A GUID in any letter case (guid.ts), or, for a list, GUIDs only. */
  guid?: true;
}

/** Extensions of a field: limits of its own arguments, by argument name. */
export const argumentLimits = (limits: Record<string, ValueLimit>) => ({ argumentLimits: limits });

/** Extensions of an input field: its value's limit, wherever the input type is used as an argument. */
export const limitsOf = (limit: ValueLimit) => ({ limit });

/** One limit of a field, at a path below its arguments (`['first']`, `['filter', 'ids']`). */
export interface LimitCheck {
  path: readonly string[];
  limit: ValueLimit;
}

export interface LimitIndex {
  byField: ReadonlyMap<GraphQLField<unknown, unknown>, readonly LimitCheck[]>;
  /** `Type.field`, in the order checked. */
  coordinates: ReadonlyMap<GraphQLField<unknown, unknown>, string>;
}

function isValueLimit(value: unknown): value is ValueLimit {
  return typeof value === 'object' && value !== null;
}

/** Limits on input fields below an input object type (not through lists: their items are not checked). */
function inputLimits(
  type: GraphQLInputObjectType,
  path: readonly string[],
  seen: ReadonlySet<GraphQLInputObjectType>,
): LimitCheck[] {
  const checks: LimitCheck[] = [];
  for (const field of Object.values(type.getFields())) {
    const fieldPath = [...path, field.name];
    const limit = field.extensions.limit;
    if (isValueLimit(limit)) checks.push({ path: fieldPath, limit });
    const nested = getNullableType(field.type);
    if (isInputObjectType(nested) && !seen.has(nested)) {
      checks.push(...inputLimits(nested, fieldPath, new Set([...seen, nested])));
    }
  }
  return checks;
}

/** Every field of the schema that declares limits, with its checks: arguments' own first. */
function indexLimits(schema: GraphQLSchema): LimitIndex {
  const byField = new Map<GraphQLField<unknown, unknown>, LimitCheck[]>();
  const coordinates = new Map<GraphQLField<unknown, unknown>, string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) && !isInterfaceType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      const declared = field.extensions.argumentLimits;
      const own: LimitCheck[] = [];
      const nested: LimitCheck[] = [];
      for (const arg of field.args) {
        const limit = isValueLimit(declared) ? (declared as Record<string, unknown>)[arg.name] : undefined;
        if (isValueLimit(limit)) own.push({ path: [arg.name], limit });
        const argType = getNullableType(arg.type);
        if (isInputObjectType(argType)) nested.push(...inputLimits(argType, [arg.name], new Set([argType])));
      }
      if (own.length + nested.length === 0) continue;
      byField.set(field, [...own, ...nested]);
      coordinates.set(field, `${type.name}.${field.name}`);
    }
  }
  return { byField, coordinates };
}

/** Limits are read from the schema once: the plugin runs against one or two schemas for the process's life. */
const indexes = new WeakMap<GraphQLSchema, LimitIndex>();

export function limitIndex(schema: GraphQLSchema): LimitIndex {
  let index = indexes.get(schema);
  if (!index) indexes.set(schema, (index = indexLimits(schema)));
  return index;
}

/** Every limit the schema declares, where: what the plugin will check (for tests and docs). */
export function declaredLimits(schema: GraphQLSchema): { coordinate: string; path: string; limit: ValueLimit }[] {
  const { byField, coordinates } = limitIndex(schema);
  return [...byField].flatMap(([field, checks]) =>
    checks.map(({ path, limit }) => ({
      coordinate: coordinates.get(field) ?? field.name,
      path: path.join('.'),
      limit,
    })),
  );
}

/** The message for a value over its limit, or null when within it (or not of the limited kind). */
export function breach(value: unknown, { range, maxItems, guid }: ValueLimit, name: string): string | null {
  if (range && typeof value === 'number' && (!Number.isInteger(value) || value < range.min || value > range.max)) {
    return `${name} must be between ${range.min} and ${range.max}.`;
  }
  if (maxItems !== undefined && Array.isArray(value) && value.length > maxItems) {
    return `${name} takes at most ${maxItems} values.`;
  }
  if (guid && typeof value === 'string' && !GUID_PATTERN.test(value)) return notAGuid(name);
  if (guid && Array.isArray(value)) {
    const at = value.findIndex((item) => typeof item === 'string' && !GUID_PATTERN.test(item));
    if (at >= 0) return notAGuid(`${name}[${at}]`);
  }
  return null;
}

/** What a client is told of a value that must be a GUID and is not; the value is not echoed. */
export function notAGuid(name: string): string {
  return `${name} ${GUID_FORMAT_HINT}.`;
}
