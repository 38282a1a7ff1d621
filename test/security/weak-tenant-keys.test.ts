/**
 * Weak spot: the tenant key folded the account id's case, but the upstream compares it exactly
 * (the sandbox, like our contract, answers 403 to a key used with "0D3E…" when its account is
 * "0d3e…"). A transaction cached for the real pair was then served to a pair the upstream would
 * reject. The tenant key now takes the context id verbatim.
 */
import { accountHeaders, startHarness, type Harness } from '../support/harness';

const DETAIL = 'query D($id: ID!) { creditTransaction(id: $id) { id amount { credits } } }';

describe('tenant keys follow the upstream identity', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ credentials: 'forward' });
  });
  afterAll(() => h.close());

  it('the upstream itself rejects the key with the account id in another case', async () => {
    const demo = h.sandbox.demo;
    const res = await h.graphql('{ creditBalance { availableCredits } }', undefined, {
      headers: { ...accountHeaders(demo), 'wix-account-id': demo.accountId.toUpperCase() },
    });
    expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('never serves from cache what the upstream would refuse to the other spelling', async () => {
    const demo = h.sandbox.demo;
    const id = h.sandbox.transactionsOf(demo.accountId)[0]!.id;
    const owner = await h.graphql(DETAIL, { id }, { headers: accountHeaders(demo) });
    expect(owner.body.data).toEqual({ creditTransaction: expect.objectContaining({ id }) });

    const other = await h.graphql(
      DETAIL,
      { id },
      { headers: { ...accountHeaders(demo), 'wix-account-id': demo.accountId.toUpperCase() } },
    );
    expect(
      (other.body.data as { creditTransaction?: unknown } | null | undefined)?.creditTransaction ?? null,
    ).toBeNull();
    expect(other.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(other.raw).not.toContain(id);
  });
});
