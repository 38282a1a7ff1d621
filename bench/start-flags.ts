/**
 * The node flags `npm start` runs the gateway with (package.json's start script, e.g.
 * `node --max-semi-space-size=8 … dist/src/main.js`): the bench's gateway children use the same,
 * so it measures the gateway as deployed. BENCH_GATEWAY_ARGV replaces them ("" for none).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export function startFlags(): string[] {
  const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  const words = (pkg.scripts?.start ?? '').split(/\s+/).filter(Boolean);
  const node = words.indexOf('node');
  return node < 0 ? [] : words.slice(node + 1).filter((word) => word.startsWith('--'));
}

/** The gateway children's flags: BENCH_GATEWAY_ARGV when set, otherwise those of `npm start`. */
export function gatewayFlags(): string[] {
  const override = process.env.BENCH_GATEWAY_ARGV;
  return override !== undefined ? override.split(' ').filter(Boolean) : startFlags();
}
