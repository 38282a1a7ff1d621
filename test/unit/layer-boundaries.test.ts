/**
 * The folders are the layers (README, Design): imports point down the request's path, never up.
 * HTTP → GraphQL → reader / charges → Wix port → HTTP client. The ports belong to the layer that
 * uses them: src/reader and src/charges define them (with src/domain's call types) and import
 * nothing from src/wix, which implements them; src/wix sees of those layers only the ports.
 * The GraphQL layer reaches the upstream only through the reader and the charges and imports
 * nothing from src/wix: the failures it turns into client errors are src/domain's
 * `UpstreamError`s, which src/wix's errors extend. The composition root (top-level
 * files: gateway.ts, main.ts, config*.ts) may import anything. The sandbox reads the Wix contract
 * on its own, so nothing in src/sandbox imports from src/wix.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const src = join(__dirname, '..', '..', 'src');

/** Every relative import in src/, as [importing file, imported module], both relative to src/. */
function imports(): [string, string][] {
  const found: [string, string][] = [];
  for (const file of readdirSync(src, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts')) continue;
    const text = readFileSync(join(src, file), 'utf8');
    for (const match of text.matchAll(/(?:from|import\()\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      found.push([file, relative(src, resolve(dirname(join(src, file)), match[1]!))]);
    }
  }
  return found;
}

/** The top folder; top-level files are the composition root (config.ts and its parts count as `config`). */
const layerOf = (path: string): string =>
  path
    .split('/')[0]!
    .replace(/\.ts$/, '')
    .replace(/^config-.*/, 'config');

/** What each folder may import from, besides itself. */
const ALLOWED: Record<string, string[]> = {
  http: ['graphql', 'reader', 'charges', 'auth', 'telemetry', 'domain', 'common', 'config'],
  graphql: ['reader', 'charges', 'auth', 'telemetry', 'domain', 'common'],
  reader: ['telemetry', 'domain', 'common'],
  charges: ['auth', 'telemetry', 'domain', 'common'],
  wix: ['charges', 'reader', 'telemetry', 'domain', 'common'],
  auth: ['charges', 'domain', 'common'],
  telemetry: ['common'],
  domain: [],
  common: [],
  sandbox: [],
};

test('no module imports from a layer above its own', () => {
  expect(imports().length).toBeGreaterThan(100); // the walk found the imports at all
  const offenders = imports()
    .filter(([file, target]) => {
      const from = layerOf(file);
      const to = layerOf(target);
      return from !== to && ALLOWED[from] !== undefined && !ALLOWED[from]!.includes(to);
    })
    .map(([file, target]) => `${file} -> ${target}`);
  expect(offenders).toEqual([]);
});

/** Where one layer may import another only through the modules named (paths relative to src/, no .ts). */
const ONLY_THROUGH: Record<string, Record<string, string[]>> = {
  wix: { reader: ['reader/read-upstream'], charges: ['charges/charge-upstream'] },
};

test('src/wix sees only the ports of reader and charges', () => {
  const offenders = imports()
    .filter(([file, target]) => {
      const allowed = ONLY_THROUGH[layerOf(file)]?.[layerOf(target)];
      return allowed !== undefined && !allowed.includes(target.replace(/\.ts$/, ''));
    })
    .map(([file, target]) => `${file} -> ${target}`);
  expect(offenders).toEqual([]);
});

test('no module in src/graphql, src/reader or src/charges imports from src/wix (the ports are theirs)', () => {
  const offenders = imports()
    .filter(([file, target]) => ['graphql', 'reader', 'charges'].includes(layerOf(file)) && layerOf(target) === 'wix')
    .map(([file, target]) => `${file} -> ${target}`);
  expect(offenders).toEqual([]);
});

test('no module in src/sandbox imports from src/wix', () => {
  const offenders = imports().filter(([file, target]) => layerOf(file) === 'sandbox' && layerOf(target) === 'wix');
  expect(offenders).toEqual([]);
});
