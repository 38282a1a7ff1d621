/**
 * The creditTransactions filter as the domain takes it: GUIDs canonical, and a value that is not
 * a GUID refused as BAD_USER_INPUT naming its field (what the argument-limits plugin answers
 * first, held here for execution without the plugin).
 */
import 'reflect-metadata';
import type { GraphQLError } from 'graphql';
import { toTransactionFilter } from '../../src/graphql/transaction-filter';

const GUID = '4F8B9A61-3C2D-4E5F-8A7B-1C2D3E4F5A6B';

function refusal(run: () => unknown): { field: unknown; message: string } {
  try {
    run();
  } catch (error) {
    const e = error as GraphQLError;
    return { field: e.extensions.field, message: e.message };
  }
  throw new Error('not refused');
}

describe('toTransactionFilter', () => {
  it('passes GUIDs on in their canonical spelling', () => {
    expect(toTransactionFilter({ ids: [GUID], externalRefIds: [], callerAppId: GUID })).toEqual({
      ids: [GUID.toLowerCase()],
      externalRefIds: [],
      callerAppId: GUID.toLowerCase(),
    });
  });

  it('refuses a value that is not a GUID with BAD_USER_INPUT naming the field, not dropping it', () => {
    const hint = 'must be a GUID such as 4f8b9a61-3c2d-4e5f-8a7b-1c2d3e4f5a6b.';
    expect(refusal(() => toTransactionFilter({ ids: [GUID, 'x'] }))).toEqual({
      field: 'filter.ids',
      message: `filter.ids[1] ${hint}`,
    });
    expect(refusal(() => toTransactionFilter({ externalRefIds: ['nope'] }))).toEqual({
      field: 'filter.externalRefIds',
      message: `filter.externalRefIds[0] ${hint}`,
    });
    expect(refusal(() => toTransactionFilter({ callerAppId: 'app' }))).toEqual({
      field: 'filter.callerAppId',
      message: `filter.callerAppId ${hint}`,
    });
  });
});
