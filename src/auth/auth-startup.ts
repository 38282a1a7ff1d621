/** What start-up says about caller authentication: one line, a warning when it is off in production. */
import type { AuthConfig } from './auth-config';

export function authStartupLine(auth: AuthConfig, production: boolean): { line: string; warning: boolean } {
  if (auth.kind === 'jwt') {
    const keys = auth.jwksUrl ? `keys from ${auth.jwksUrl}` : `key file ${auth.publicKeyFile}`;
    return {
      line: `Caller authentication: Bearer JWT (issuer ${auth.issuer}, audience ${auth.audience}, ${keys}).`,
      warning: false,
    };
  }
  switch (auth.reason) {
    case 'forward':
      return { line: "Caller authentication: each caller's own Wix credentials (forwarded).", warning: false };
    case 'disabled':
      return production
        ? {
            line: 'WARNING: AUTH_DISABLED=true: anyone who can reach this port can read the account and charge its credits.',
            warning: true,
          }
        : { line: 'Caller authentication: off (AUTH_DISABLED=true).', warning: false };
    case 'sandbox':
    case 'development':
      return {
        line: 'Caller authentication: off (development; NODE_ENV=production requires AUTH_JWKS_URL or AUTH_JWT_PUBLIC_KEY_FILE). Try JWT mode: npm run start:jwt',
        warning: production,
      };
  }
}
