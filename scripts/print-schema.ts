/**
 * Writes the two committed SDL files printed from the type-graphql code:
 *   schema/schema.graphql  the Federation 2 subgraph SDL (for routers and composition)
 *   schema/api.graphql     the client SDL, what /graphql serves (for codegen and client tools)
 * `--check` exits non-zero when a committed file differs (CI runs the drift test instead).
 */
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildApiSchema, printClientSdl, printSubgraphSdl } from '../src/graphql/schema';

const schemaDir = join(__dirname, '..', '..', 'schema');
export const SCHEMA_FILE = join(schemaDir, 'schema.graphql');
export const API_SCHEMA_FILE = join(schemaDir, 'api.graphql');

const apiSchema = buildApiSchema();
const outputs: Array<[string, string]> = [
  [SCHEMA_FILE, printSubgraphSdl(apiSchema)],
  [API_SCHEMA_FILE, printClientSdl(apiSchema)],
];
let stale = false;
for (const [file, sdl] of outputs) {
  if (process.argv.includes('--check')) {
    if (readFileSync(file, 'utf8') !== sdl) {
      process.stderr.write(`${file} is out of date: run \`npm run schema\`\n`);
      stale = true;
    }
  } else {
    writeFileSync(file, sdl);
    process.stdout.write(`wrote ${file}\n`);
  }
}
if (stale) process.exit(1);
