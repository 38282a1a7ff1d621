/**
 * The development signing key: `npm run token` signs with it and `npm run start:jwt` verifies
 * with it, so JWT mode can be tried locally in one command. Generated on first use into
 * `.dev-keys/` (git-ignored); refused with NODE_ENV=production.
 */
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';

/** The repository root, from src/auth or dist/src/auth. */
const ROOT = resolve(__dirname, __dirname.includes(`${sep}dist${sep}`) ? '../../..' : '../..');
export const DEV_KEYS_DIR = join(ROOT, '.dev-keys');
export const DEV_PUBLIC_KEY_FILE = join(DEV_KEYS_DIR, 'public.pem');
const DEV_PRIVATE_KEY_FILE = join(DEV_KEYS_DIR, 'private.pem');
export const DEV_ISSUER = 'credits-gateway-dev';
export const DEV_AUDIENCE = 'credits-gateway';

/** The development Ed25519 key pair (PEM), made once. */
export function developmentKeyPair(): { privateKeyPem: string; publicKeyPem: string } {
  if (!existsSync(DEV_PRIVATE_KEY_FILE) || !existsSync(DEV_PUBLIC_KEY_FILE)) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    mkdirSync(DEV_KEYS_DIR, { recursive: true, mode: 0o700 });
    writeFileSync(DEV_PRIVATE_KEY_FILE, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    writeFileSync(DEV_PUBLIC_KEY_FILE, publicKey.export({ type: 'spki', format: 'pem' }));
  }
  return {
    privateKeyPem: readFileSync(DEV_PRIVATE_KEY_FILE, 'utf8'),
    publicKeyPem: readFileSync(DEV_PUBLIC_KEY_FILE, 'utf8'),
  };
}
