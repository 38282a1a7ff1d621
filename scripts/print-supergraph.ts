/**
 * Prints a supergraph SDL to stdout: schema/schema.graphql (the credits subgraph) composed with
 * the example "ai-actions" consumer subgraph (scripts/example-consumer-subgraph.ts).
 * `npm run supergraph` — a quick check that the committed subgraph SDL composes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeWithExampleConsumer } from './example-consumer-subgraph';

// Compiled to dist/scripts/: the project root is two levels up.
const SCHEMA_FILE = join(__dirname, '..', '..', 'schema', 'schema.graphql');

try {
  process.stdout.write(composeWithExampleConsumer(readFileSync(SCHEMA_FILE, 'utf8')));
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
