/** The sandbox reads the Wix contract on its own: nothing in src/sandbox imports from src/wix. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

test('no module in src/sandbox imports from src/wix', () => {
  const dir = join(__dirname, '..', '..', 'src', 'sandbox');
  const offenders = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .filter((file) => /from\s+['"](\.\.\/)+wix\//.test(readFileSync(join(dir, file), 'utf8')));
  expect(offenders).toEqual([]);
});
