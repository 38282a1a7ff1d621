/**
 * .env.example lists every environment variable the code reads: process.env reads anywhere in
 * src/, the environment schema's keys in src/config.ts and `env.X` reads of the config modules.
 * Adding a variable without documenting it there fails this test.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function variablesReadBySrc(): Set<string> {
  const found = new Set<string>();
  const patterns = [
    /process\.env\.([A-Z][A-Z0-9_]*)/g,
    /process\.env\[['"]([A-Z][A-Z0-9_]*)['"]\]/g,
    /\benv\.([A-Z][A-Z0-9_]*)/g,
    // Keys of a zod environment schema: `    NAME: z.` / `    NAME: boolean` / `    NAME: positiveInt(`
    /^ {4}([A-Z][A-Z0-9_]*): /gm,
  ];
  for (const file of sourceFiles(join(root, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const pattern of patterns) for (const match of text.matchAll(pattern)) found.add(match[1]!);
  }
  return found;
}

describe('.env.example', () => {
  const documented = new Set(
    [...readFileSync(join(root, '.env.example'), 'utf8').matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!),
  );

  it('lists every environment variable read in src/', () => {
    const read = variablesReadBySrc();
    expect(read.size).toBeGreaterThan(20); // the scan itself works
    expect([...read].filter((name) => !documented.has(name)).sort()).toEqual([]);
  });
});
