/**
 * Composes schema/schema.graphql (the credits subgraph) with the example "ai-actions" consumer
 * subgraph (scripts/example-consumer-subgraph.ts) into a supergraph SDL.
 *
 *   npm run supergraph -- --out supergraph.graphql [--url credits=URL] [--url ai-actions=URL]
 *
 * `--out` writes the file itself: `npm run supergraph > file` would also capture npm's own header
 * lines, which routers reject. Without `--out` the SDL goes to stdout (use `npm run -s`).
 * Routing URLs default to EXAMPLE_URLS. A composition error or a bad argument exits non-zero.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  composeWithExampleConsumer,
  CREDITS_SUBGRAPH_NAME,
  EXAMPLE_CONSUMER_NAME,
  EXAMPLE_URLS,
  type SubgraphUrls,
} from './example-consumer-subgraph';

// Compiled to dist/scripts/: the project root is two levels up.
const SCHEMA_FILE = join(__dirname, '..', '..', 'schema', 'schema.graphql');
const USAGE = `usage: npm run supergraph -- [--out FILE] [--url ${CREDITS_SUBGRAPH_NAME}=URL] [--url ${EXAMPLE_CONSUMER_NAME}=URL]`;

class UsageError extends Error {}

export function routingUrls(pairs: readonly string[]): SubgraphUrls {
  const urls: SubgraphUrls = { ...EXAMPLE_URLS };
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq);
    const url = pair.slice(eq + 1);
    if (eq <= 0 || !URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
      throw new UsageError(`--url ${pair}: expected NAME=http(s)://…`);
    }
    if (name === CREDITS_SUBGRAPH_NAME) urls.credits = url;
    else if (name === EXAMPLE_CONSUMER_NAME) urls.consumer = url;
    else
      throw new UsageError(
        `--url ${pair}: unknown subgraph "${name}" (known: ${CREDITS_SUBGRAPH_NAME}, ${EXAMPLE_CONSUMER_NAME})`,
      );
  }
  return urls;
}

function main(argv: string[]): void {
  let out: string | undefined;
  let urls: SubgraphUrls;
  try {
    const { values } = parseArgs({
      args: argv,
      options: { out: { type: 'string' }, url: { type: 'string', multiple: true } },
      strict: true,
      allowPositionals: false,
    });
    out = values.out;
    urls = routingUrls(values.url ?? []);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  let sdl: string;
  try {
    sdl = composeWithExampleConsumer(readFileSync(SCHEMA_FILE, 'utf8'), urls);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
    return;
  }
  const text = sdl.endsWith('\n') ? sdl : `${sdl}\n`;
  if (out) {
    // npm runs scripts in the package root; a relative --out means the caller's directory.
    const file = resolve(process.env.INIT_CWD ?? process.cwd(), out);
    writeFileSync(file, text);
    process.stderr.write(`supergraph written to ${file}\n`);
  } else {
    process.stdout.write(text);
  }
}

if (require.main === module) main(process.argv.slice(2));
