/**
 * Writes schema/schema.graphql — the subgraph SDL printed from the type-graphql code.
 * `--check` exits non-zero when the committed file differs (CI runs the drift test instead).
 */
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildApiSchema, printSubgraphSdl } from '../src/graphql/schema';

export const SCHEMA_FILE = join(__dirname, '..', '..', 'schema', 'schema.graphql');

const sdl = printSubgraphSdl(buildApiSchema());
if (process.argv.includes('--check')) {
  const committed = readFileSync(SCHEMA_FILE, 'utf8');
  if (committed !== sdl) {
    process.stderr.write('schema/schema.graphql is out of date: run `npm run schema`\n');
    process.exit(1);
  }
} else {
  writeFileSync(SCHEMA_FILE, sdl);
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
}
