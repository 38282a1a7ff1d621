/**
 * Scopes through type-graphql's @Authorized: credits:read for balance, history, transactions;
 * credits:charge for chargeCredits. A missing scope is FORBIDDEN naming it, with no upstream
 * call. Keys here come from a PEM file (AUTH_JWT_PUBLIC_KEY_FILE).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportSPKI, generateKeyPair } from 'jose';
import { startHarness, type Harness } from '../support/harness';
import { bearer, mintToken, TEST_AUDIENCE, TEST_ISSUER, type SigningKey } from '../support/jwt';

const BALANCE = '{ creditBalance { availableCredits } }';
const HISTORY = '{ creditTransactions(first: 2) { nodes { id } } }';
const CHARGE = (key: string) =>
  `mutation { chargeCredits(input: { credits: 1, idempotencyKey: "${key}" }) { __typename ... on CreditsCharged { transaction { id } } } }`;

describe('scope matrix (PEM public key)', () => {
  let harness: Harness;
  let key: SigningKey;

  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair('PS256');
    const file = join(mkdtempSync(join(tmpdir(), 'jwt-pem-')), 'public.pem');
    writeFileSync(file, await exportSPKI(publicKey));
    key = { kid: 'pem', alg: 'PS256', privateKey, jwk: { kty: 'RSA' } };
    harness = await startHarness({
      config: {
        auth: {
          kind: 'jwt',
          jwksUrl: null,
          publicKeyFile: file,
          issuer: TEST_ISSUER,
          audience: TEST_AUDIENCE,
          scopesClaim: null,
          algorithms: ['PS256'],
        },
      },
    });
  });
  afterAll(() => harness.close());
  beforeEach(() => harness.sandbox.counters.reset());

  const as = async (claims: Record<string, unknown>) => bearer(await mintToken(key, { claims }));

  it('a read-only token reads the balance and history, but cannot charge (FORBIDDEN naming credits:charge, no upstream call)', async () => {
    const headers = await as({ scope: 'credits:read' });
    expect((await harness.graphql(BALANCE, undefined, { headers })).body.data).toEqual({
      creditBalance: { availableCredits: 290 },
    });
    expect((await harness.graphql(HISTORY, undefined, { headers })).body.errors).toBeUndefined();
    harness.sandbox.counters.reset();
    const charge = await harness.graphql(CHARGE(randomUUID()), undefined, { headers });
    expect(charge.status).toBe(200);
    expect(charge.body.errors?.[0]).toMatchObject({
      extensions: { code: 'FORBIDDEN', requiredScope: 'credits:charge' },
    });
    expect(charge.body.errors?.[0]?.message).toContain('credits:charge');
    expect(harness.sandbox.counters.total()).toBe(0);
  });

  it('a charge token charges, but cannot read the balance (FORBIDDEN naming credits:read)', async () => {
    const headers = await as({ scope: 'credits:charge' });
    const charge = await harness.graphql<{ chargeCredits: { __typename: string } }, never>(
      CHARGE(randomUUID()),
      undefined,
      { headers },
    );
    expect(charge.body.data?.chargeCredits.__typename).toBe('CreditsCharged');
    harness.sandbox.counters.reset();
    const balance = await harness.graphql(BALANCE, undefined, { headers });
    expect(balance.body.errors?.[0]).toMatchObject({
      extensions: { code: 'FORBIDDEN', requiredScope: 'credits:read' },
    });
    expect(harness.sandbox.counters.total()).toBe(0);
  });

  it('reads scopes from scp or permissions arrays too', async () => {
    for (const claims of [{ scp: ['credits:read'] }, { permissions: ['credits:read'] }]) {
      expect((await harness.graphql(BALANCE, undefined, { headers: await as(claims) })).body.errors).toBeUndefined();
    }
  });

  it('a token without scopes reads nothing', async () => {
    const res = await harness.graphql(BALANCE, undefined, { headers: await as({}) });
    expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(harness.sandbox.counters.total()).toBe(0);
  });
});
