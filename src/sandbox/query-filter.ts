/**
 * The filter of Query Transactions: the Wix query-language subset of the contract (fields and
 * operators it allows) compiled once into a predicate over ledger entries.
 */
import { isPlainObject } from './charge-request';
import { invalidField } from './errors';
import type { LedgerEntry } from './ledger';

export const MAX_IN_VALUES = 100;

export type Predicate = (entry: LedgerEntry) => boolean;
type Scalar = string | number;

const FIELDS = new Set(['id', 'externalRefId', 'callerAppId', 'idempotencyKey', 'createdDate']);
const OPERATORS = new Set(['$eq', '$ne', '$in', '$nin', '$gt', '$gte', '$lt', '$lte']);

function fieldValue(entry: LedgerEntry, field: string): Scalar | undefined {
  switch (field) {
    case 'id':
      return entry.id;
    case 'createdDate':
      return entry.createdMs;
    case 'externalRefId':
      return entry.tx.externalRefId;
    case 'callerAppId':
      return entry.tx.callerAppId;
    default:
      return entry.tx.idempotencyKey;
  }
}

/** createdDate compares as time, so its operands become epoch milliseconds. */
function operand(field: string, raw: unknown, path: string): Scalar {
  if (typeof raw !== 'string') throw invalidField(path, 'filter values must be strings', 'FORMAT');
  if (field !== 'createdDate') return raw;
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw invalidField(path, 'createdDate must be an ISO-8601 date-time', 'FORMAT');
  return ms;
}

function compileOperator(field: string, op: string, raw: unknown, path: string): Predicate {
  if (!OPERATORS.has(op)) throw invalidField(path, `unsupported operator ${op}`, 'INVALID_ENUM_VALUE');
  if (op === '$in' || op === '$nin') {
    if (!Array.isArray(raw)) throw invalidField(path, `${op} takes an array`, 'FORMAT');
    if (raw.length > MAX_IN_VALUES) throw invalidField(path, `${op} takes at most ${MAX_IN_VALUES} values`, 'MAX_SIZE');
    const set = new Set<Scalar>(raw.map((v, i) => operand(field, v, `${path}[${i}]`)));
    return op === '$in'
      ? (e) => {
          const v = fieldValue(e, field);
          return v !== undefined && set.has(v);
        }
      : (e) => {
          const v = fieldValue(e, field);
          return v === undefined || !set.has(v);
        };
  }
  const x = operand(field, raw, path);
  switch (op) {
    case '$eq':
      return (e) => fieldValue(e, field) === x;
    case '$ne':
      return (e) => fieldValue(e, field) !== x;
    case '$gt':
      return (e) => {
        const v = fieldValue(e, field);
        return v !== undefined && v > x;
      };
    case '$gte':
      return (e) => {
        const v = fieldValue(e, field);
        return v !== undefined && v >= x;
      };
    case '$lt':
      return (e) => {
        const v = fieldValue(e, field);
        return v !== undefined && v < x;
      };
    default:
      return (e) => {
        const v = fieldValue(e, field);
        return v !== undefined && v <= x;
      };
  }
}

/** A predicate for `filter`, or a 400 SandboxHttpError naming the offending path. */
export function compileFilter(filter: unknown): Predicate {
  if (filter === undefined || filter === null) return () => true;
  if (!isPlainObject(filter)) throw invalidField('query.filter', 'filter must be an object', 'FORMAT');
  const predicates: Predicate[] = [];
  for (const [field, spec] of Object.entries(filter)) {
    const path = `query.filter.${field}`;
    if (!FIELDS.has(field)) throw invalidField(path, `field ${field} is not filterable`, 'FIELD_NOT_ALLOWED');
    if (isPlainObject(spec)) {
      for (const [op, raw] of Object.entries(spec)) predicates.push(compileOperator(field, op, raw, `${path}.${op}`));
    } else {
      predicates.push(compileOperator(field, '$eq', spec, path));
    }
  }
  if (predicates.length === 0) return () => true;
  if (predicates.length === 1) return predicates[0];
  return (e) => predicates.every((p) => p(e));
}
