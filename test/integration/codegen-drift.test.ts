/**
 * generated/* must be what codegen makes of schema/operations against schema/api.graphql. Not in
 * the unit layer: it runs the codegen CLI in a child process (about 5 s).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = join(__dirname, '..', '..');

describe('generated artifacts', () => {
  it('generated/* is what codegen makes of schema/operations against schema/api.graphql (run `npm run codegen` when this fails)', async () => {
    // The codegen CLI loads ESM-only parts that jest's CommonJS runtime cannot: run it as users do.
    const cli = join(root, 'node_modules', '@graphql-codegen', 'cli', 'cjs', 'bin.js');
    await expect(
      promisify(execFile)(process.execPath, [cli, '--config', 'codegen.yml', '--check'], { cwd: root }),
    ).resolves.toBeDefined();
  }, 60_000);
});
