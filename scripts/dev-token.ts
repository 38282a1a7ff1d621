/**
 * `npm run token -- --scope "credits:read credits:charge" [--sub dev-user] [--ttl 3600]
 * [--budget 100]`: prints a JWT signed by the development key, for a gateway started with
 * `npm run start:jwt`. Never for production: it refuses to run with NODE_ENV=production.
 * `--print-env` prints the variables that make a gateway verify with the development key.
 */
import { createPrivateKey } from 'node:crypto';
import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';
import { DEV_AUDIENCE, DEV_ISSUER, DEV_PUBLIC_KEY_FILE, developmentKeyPair } from '../src/auth/dev-keys';

async function main(): Promise<void> {
  if (process.env.NODE_ENV === 'production') {
    process.stderr.write('npm run token: the development signing key is never used with NODE_ENV=production\n');
    process.exit(2);
  }
  const { values } = parseArgs({
    options: {
      scope: { type: 'string', default: 'credits:read credits:charge' },
      sub: { type: 'string', default: 'dev-user' },
      ttl: { type: 'string', default: '3600' },
      budget: { type: 'string' },
      'print-env': { type: 'boolean', default: false },
    },
  });
  const { privateKeyPem } = developmentKeyPair();
  if (values['print-env']) {
    process.stdout.write(
      `AUTH_JWT_PUBLIC_KEY_FILE=${DEV_PUBLIC_KEY_FILE} AUTH_ISSUER=${DEV_ISSUER} AUTH_AUDIENCE=${DEV_AUDIENCE}\n`,
    );
    return;
  }
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ scope: values.scope, ...(values.budget ? { credits_budget: values.budget } : {}) })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' })
    .setSubject(values.sub)
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + Number(values.ttl))
    .sign(createPrivateKey(privateKeyPem));
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`npm run token: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
