/** schema/schema.graphql, schema/api.graphql and the generated client documents must match the code. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
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

  it('generated/* is what codegen makes of schema/operations against schema/api.graphql (run `npm run codegen` when this fails)', async () => {
    // The codegen CLI loads ESM-only parts that jest's CommonJS runtime cannot: run it as users do.
    const cli = join(root, 'node_modules', '@graphql-codegen', 'cli', 'cjs', 'bin.js');
    await expect(
      promisify(execFile)(process.execPath, [cli, '--config', 'codegen.yml', '--check'], { cwd: root }),
    ).resolves.toBeDefined();
  }, 60_000);

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
