/**
 * schema/schema.graphql and schema/api.graphql must match the code. The generated client
 * documents are checked by test/integration/codegen-drift.test.ts (it runs the codegen CLI in a
 * child process, which the in-process unit layer does not).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildApiSchema, printClientSdl, printSubgraphSdl } from '../../src/graphql/schema';

const root = join(__dirname, '..', '..');

describe('generated artifacts', () => {
  it('schema/schema.graphql is the subgraph SDL printed from the code (run `npm run schema` when this fails)', () => {
    const committed = readFileSync(join(root, 'schema', 'schema.graphql'), 'utf8');
    expect(committed).toBe(printSubgraphSdl(buildApiSchema()));
  });

  it('schema/api.graphql is the client SDL printed from the code, without federation directives (run `npm run schema` when this fails)', () => {
    const committed = readFileSync(join(root, 'schema', 'api.graphql'), 'utf8');
    expect(committed).toBe(printClientSdl(buildApiSchema()));
    expect(committed).not.toMatch(/@key|@link|_service|_entities/);
  });

  it("the schema keeps the contract's public names", () => {
    const sdl = printSubgraphSdl(buildApiSchema());
    for (const line of [
      'type CreditTransaction @key(fields: "id")',
      'union ChargeCreditsResult = CreditsCharged | InsufficientCredits | IdempotencyKeyReused | ChargeOutcomeUnknown',
      'chargeCredits(input: ChargeCreditsInput!): ChargeCreditsResult!',
      'creditTransaction(id: ID!): CreditTransaction',
      'creditBalance: CreditBalance!',
      'order: SortOrder = DESC',
      'first: Int = 20',
      'idempotencyKey: ID!',
      'scalar Decimal',
    ]) {
      expect(sdl).toContain(line);
    }
  });
});
