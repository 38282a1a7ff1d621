/**
 * The argument-limits plugin knows no field by name: it finds the limits declared as extensions
 * on fields and input fields, once per schema, and checks them wherever the operation selects
 * such a field.
 */
import 'reflect-metadata';
import {
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLList,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  parse,
  type GraphQLInputFieldConfigMap,
  type OperationDefinitionNode,
} from 'graphql';
import { checkArgumentLimits } from '../../src/graphql/argument-limits';
import * as declaredLimitsModule from '../../src/graphql/declared-limits';
import { argumentLimits, declaredLimits, limitsOf } from '../../src/graphql/declared-limits';
import { buildApiSchema } from '../../src/graphql/schema';
import { MAX_FILTER_IDS } from '../../src/graphql/types/inputs.type';
import { MAX_PAGE_SIZE } from '../../src/reader/pagination/transaction-connection';

/** A schema whose limited field sits below the root, with nested and recursive input types. */
function toySchema(): GraphQLSchema {
  const Tree: GraphQLInputObjectType = new GraphQLInputObjectType({
    name: 'Tree',
    fields: (): GraphQLInputFieldConfigMap => ({
      labels: { type: new GraphQLList(GraphQLString), extensions: limitsOf({ maxItems: 2 }) },
      child: { type: Tree },
    }),
  });
  const Filter = new GraphQLInputObjectType({
    name: 'Filter',
    fields: {
      tags: { type: new GraphQLList(GraphQLString), extensions: limitsOf({ maxItems: 3 }) },
      tree: { type: Tree },
    },
  });
  const Shelf = new GraphQLObjectType({
    name: 'Shelf',
    fields: {
      books: {
        type: new GraphQLList(GraphQLString),
        args: { take: { type: GraphQLInt, defaultValue: 5 }, filter: { type: Filter } },
        extensions: argumentLimits({ take: { range: { min: 1, max: 10 } } }),
      },
      name: { type: GraphQLString, args: { take: { type: GraphQLInt } } },
    },
  });
  return new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { shelf: { type: Shelf } } }),
  });
}

function check(schema: GraphQLSchema, query: string, variables?: Record<string, unknown>) {
  const document = parse(query);
  const operation = document.definitions.find((d) => d.kind === 'OperationDefinition') as OperationDefinitionNode;
  const error = checkArgumentLimits(schema, document, operation, variables);
  return error && { field: error.extensions.field, message: error.message };
}

describe('argument limits declared with the field', () => {
  const schema = toySchema();

  it('lists every declared limit of a schema: arguments first, then input fields below them, through recursion once', () => {
    expect(declaredLimits(schema)).toEqual([
      { coordinate: 'Shelf.books', path: 'take', limit: { range: { min: 1, max: 10 } } },
      { coordinate: 'Shelf.books', path: 'filter.tags', limit: { maxItems: 3 } },
      { coordinate: 'Shelf.books', path: 'filter.tree.labels', limit: { maxItems: 2 } },
    ]);
  });

  it('finds the limited field below the root, through fragments and variables, naming the argument path', () => {
    expect(check(schema, '{ shelf { books(take: 11) } }')).toEqual({
      field: 'take',
      message: 'take must be between 1 and 10.',
    });
    expect(
      check(schema, 'query Q($f: Filter) { shelf { ...F } } fragment F on Shelf { books(filter: $f) }', {
        f: { tags: ['a', 'b', 'c', 'd'] },
      }),
    ).toEqual({ field: 'filter.tags', message: 'filter.tags takes at most 3 values.' });
    expect(check(schema, '{ shelf { books(filter: { tree: { labels: ["a", "b", "c"] } }) } }')).toEqual({
      field: 'filter.tree.labels',
      message: 'filter.tree.labels takes at most 2 values.',
    });
  });

  it('lets values within their limits through, and ignores an argument of the same name on an unlimited field', () => {
    expect(check(schema, '{ shelf { books(take: 10, filter: { tags: ["a", "b", "c"] }) } }')).toBeNull();
    expect(check(schema, '{ shelf { name(take: 500) } }')).toBeNull();
  });

  it('finds the gateway schema limits where its types declare them: the GUID id, first, and the filter ids', () => {
    const guidList = { maxItems: MAX_FILTER_IDS, guid: true };
    expect(declaredLimits(buildApiSchema())).toEqual([
      { coordinate: 'Query.creditTransaction', path: 'id', limit: { guid: true } },
      { coordinate: 'Query.creditTransactions', path: 'first', limit: { range: { min: 1, max: MAX_PAGE_SIZE } } },
      { coordinate: 'Query.creditTransactions', path: 'filter.ids', limit: guidList },
      { coordinate: 'Query.creditTransactions', path: 'filter.externalRefIds', limit: guidList },
      { coordinate: 'Query.creditTransactions', path: 'filter.callerAppId', limit: { guid: true } },
    ]);
  });

  it('refuses a value that must be a GUID and is not, naming the field (and the list item) without echoing it', () => {
    const api = buildApiSchema();
    const guid = '4F8B9A61-3C2D-4E5F-8A7B-1C2D3E4F5A6B';
    const hint = 'must be a GUID such as 4f8b9a61-3c2d-4e5f-8a7b-1c2d3e4f5a6b.';
    expect(check(api, '{ creditTransaction(id: "x") { id } }')).toEqual({ field: 'id', message: `id ${hint}` });
    expect(
      check(api, 'query Q($f: CreditTransactionFilter) { creditTransactions(filter: $f) { nodes { id } } }', {
        f: { ids: [guid, 'nope'] },
      }),
    ).toEqual({ field: 'filter.ids', message: `filter.ids[1] ${hint}` });
    expect(check(api, '{ creditTransactions(filter: { externalRefIds: ["ref-1"] }) { nodes { id } } }')).toEqual({
      field: 'filter.externalRefIds',
      message: `filter.externalRefIds[0] ${hint}`,
    });
    expect(check(api, '{ creditTransactions(filter: { callerAppId: "app" }) { nodes { id } } }')).toEqual({
      field: 'filter.callerAppId',
      message: `filter.callerAppId ${hint}`,
    });
    // A variable's default and a number go through coercion as execution would: the same answer.
    expect(check(api, 'query Q($id: ID! = "x") { creditTransaction(id: $id) { id } }')).toEqual({
      field: 'id',
      message: `id ${hint}`,
    });
    expect(check(api, 'query Q($id: ID!) { creditTransaction(id: $id) { id } }', { id: 42 })).toEqual({
      field: 'id',
      message: `id ${hint}`,
    });
    const valid = `{ creditTransaction(id: "${guid}") { id } creditTransactions(filter: { ids: ["${guid}"], callerAppId: "${guid}" }) { nodes { id } } }`;
    expect(check(api, valid)).toBeNull();
  });

  it('checks an operation without variables once: a pass is remembered, a breach is found every time', () => {
    const schema = toySchema();
    const spy = jest.spyOn(declaredLimitsModule, 'breach');
    try {
      const parsed = (query: string) => {
        const document = parse(query);
        return { document, operation: document.definitions[0] as OperationDefinitionNode };
      };
      const verdicts = (query: string, runs: readonly (Record<string, unknown> | undefined)[]) => {
        const { document, operation } = parsed(query);
        spy.mockClear();
        const passed = runs.map((variables) => checkArgumentLimits(schema, document, operation, variables) === null);
        return { passed, checks: spy.mock.calls.length };
      };
      const once = verdicts('{ shelf { books(take: 3) } }', [undefined]).checks;
      expect(once).toBeGreaterThan(0);
      expect(verdicts('{ shelf { books(take: 4) } }', [undefined, undefined, undefined])).toEqual({
        passed: [true, true, true],
        checks: once,
      });
      expect(verdicts('{ shelf { books(take: 11) } }', [undefined, undefined])).toEqual({
        passed: [false, false],
        checks: 2,
      });
      // With variables the verdict depends on the request: checked every time.
      expect(verdicts('query Q($n: Int) { shelf { books(take: $n) } }', [{ n: 3 }, { n: 30 }, { n: 3 }])).toEqual({
        passed: [true, false, true],
        checks: 2 * once + 1,
      });
    } finally {
      spy.mockRestore();
    }
  });
});
