/**
 * The gate's unknown-field walk finds the first error graphql-js's FieldsOnCorrectTypeRule reports
 * (suggestions hidden), worded and placed alike, or none when that rule reports none: interfaces,
 * unions, meta fields, fragments and type conditions resolve as graphql-js's TypeInfo resolves them.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema,
  FieldsOnCorrectTypeRule,
  getIntrospectionQuery,
  parse,
  validate,
  type GraphQLSchema,
} from 'graphql';
import 'reflect-metadata';
import { buildApiSchema, buildSubgraph } from '../../src/graphql/schema';
import { unknownFieldError } from '../../src/graphql/unknown-fields';

const schema = buildSchema(`
  interface Node { id: ID! }
  type User implements Node { id: ID! name: String friends: [User!]! pet: Pet }
  type Dog implements Node { id: ID! barks: Boolean }
  type Cat { meows: Boolean }
  union Pet = Dog | Cat
  scalar Date
  input Filter { x: Int }
  enum Color { RED }
  type Query { me: User node(id: ID!): Node pets: [Pet] now: Date color: Color }
  type Mutation { rename(name: String): User }
`);

const DOCUMENTS = [
  '{ me { name nope } }',
  '{ node(id: 1) { id name } }',
  '{ node(id: 1) { ... on User { name bad } } }',
  '{ pets { name } }',
  '{ pets { __typename ... on Dog { barks meows } } }',
  '{ pets { ... on Nope { x } } me { id } }',
  '{ pets { ... on Filter { x } } }',
  '{ pets { ... on Date { x } } }',
  '{ now { x } color { y } __typename { z } }',
  '{ __schema { types { name nope } } }',
  '{ __type(name: "User") { fields { name args { nope } } } }',
  '{ me { __schema { x } } }',
  '{ me { __type(name: "x") { name } } }',
  'subscription { anything }',
  'mutation { rename { nope } }',
  'mutation { nope }',
  'fragment F on User { friends { nope } } { me { ...F } }',
  '{ me { ...F } } fragment F on Pet { name }',
  'fragment F on Nope { a } { me { b } }',
  'fragment F on Date { a } { me { ... { name nope2 } } }',
  'query A { me { id } } query B { me { zz } }',
  '{ a: me { b: nope } }',
  '{ me { pet { ... on Cat { meows } ... on Dog { barks } __typename } friends { name } } }',
  '{ nope1 me { nope2 } }',
  '{ me { ... on User { ... on Node { id } ... on Cat { meows } ... on Pet { __typename } } } }',
  '{ me { ... on Node { name } } }',
  '{ pets { ... on Node { id name } } }',
];

function graphqlFirst(target: GraphQLSchema, text: string) {
  const [first] = validate(target, parse(text), [FieldsOnCorrectTypeRule], { hideSuggestions: true });
  return first ? { message: first.message, locations: first.locations } : null;
}

function walkFirst(target: GraphQLSchema, text: string) {
  const error = unknownFieldError(target, parse(text));
  return error ? { message: error.message, locations: error.locations } : null;
}

it.each(DOCUMENTS)('finds what FieldsOnCorrectTypeRule finds first in %s', (text) => {
  expect(walkFirst(schema, text)).toEqual(graphqlFirst(schema, text));
});

it('finds nothing in the example operations and the full introspection query, on either schema', () => {
  const operationsDir = join(__dirname, '../../schema/operations');
  const documents = [
    getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, oneOf: true }),
    ...readdirSync(operationsDir).map((file) => readFileSync(join(operationsDir, file), 'utf8')),
  ];
  const api = buildApiSchema();
  for (const target of [api, buildSubgraph(api)]) {
    for (const text of documents) expect(walkFirst(target, text)).toBeNull();
  }
});

it('finds an unknown field on the API schema as graphql-js words it', () => {
  const api = buildApiSchema();
  const text = '{ creditBalance { availableCredit } }';
  expect(walkFirst(api, text)).toEqual({
    message: 'Cannot query field "availableCredit" on type "CreditBalance".',
    locations: [{ line: 1, column: 19 }],
  });
  expect(walkFirst(api, text)).toEqual(graphqlFirst(api, text));
});
