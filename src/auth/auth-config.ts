/**
 * Caller authentication settings from the environment, and the start-up rules that keep a
 * gateway from serving credits to anyone by mistake:
 *  - JWT settings with WIX_AUTH=forward are ambiguous (both use Authorization): refused;
 *  - NODE_ENV=production with server-held Wix credentials needs JWT settings, or an explicit
 *    AUTH_DISABLED=true;
 *  - NODE_ENV=production with no Wix credentials and no forwarding runs the sandbox only with
 *    SANDBOX=true; the development signing key is refused in production.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { DEV_KEYS_DIR } from './dev-keys';
import { ALLOWED_ALGORITHMS, type AllowedAlgorithm } from './jwt-verifier';
import { SCOPE_CLAIMS, type ScopeClaim } from './scopes';

export type AuthConfig =
  | {
      kind: 'jwt';
      /** JWKS endpoint, or null when a PEM public key file is used. */
      jwksUrl: string | null;
      publicKeyFile: string | null;
      issuer: string;
      audience: string;
      scopesClaim: ScopeClaim | null;
      algorithms: AllowedAlgorithm[];
    }
  /** No caller authentication: forwarding (the Wix key is the identity), or off on purpose. */
  | { kind: 'none'; reason: 'forward' | 'disabled' | 'development' | 'sandbox' };

export const authEnvironment = {
  AUTH_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
  AUTH_JWT_PUBLIC_KEY_FILE: z.string().min(1).optional(),
  AUTH_ISSUER: z.string().min(1).optional(),
  AUTH_AUDIENCE: z.string().min(1).optional(),
  AUTH_SCOPES_CLAIM: z.enum(SCOPE_CLAIMS).optional(),
  AUTH_ALGORITHMS: z
    .string()
    .transform((list) =>
      list
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean),
    )
    .refine(
      (list): list is AllowedAlgorithm[] =>
        list.length > 0 && list.every((a) => (ALLOWED_ALGORITHMS as readonly string[]).includes(a)),
      {
        message: `must list some of ${ALLOWED_ALGORITHMS.join(', ')} (never none or HS*)`,
      },
    )
    .optional(),
};

type AuthEnvironment = { [K in keyof typeof authEnvironment]?: z.output<(typeof authEnvironment)[K]> } & {
  AUTH_DISABLED?: boolean;
  SANDBOX?: boolean;
};

export interface AuthEnvironmentContext {
  production: boolean;
  upstream: 'server-key' | 'forward' | 'sandbox';
  isLoopbackOrHttps(url: string): boolean;
}

/** The auth settings, or problems (each one line naming the variables). */
export function authConfigFrom(
  env: AuthEnvironment,
  context: AuthEnvironmentContext,
): { auth: AuthConfig; problems: string[] } {
  const problems: string[] = [];
  const jwtVariables = (['AUTH_JWKS_URL', 'AUTH_JWT_PUBLIC_KEY_FILE', 'AUTH_ISSUER', 'AUTH_AUDIENCE'] as const).filter(
    (name) => env[name] !== undefined,
  );
  const jwt = env.AUTH_JWKS_URL !== undefined || env.AUTH_JWT_PUBLIC_KEY_FILE !== undefined;
  if (context.upstream === 'forward' && jwtVariables.length > 0) {
    problems.push(
      `WIX_AUTH: forwarding takes the caller's Wix key from Authorization, so it excludes ${jwtVariables.join(', ')} (ambiguous: both use the Authorization header)`,
    );
  }
  if (env.AUTH_JWKS_URL && env.AUTH_JWT_PUBLIC_KEY_FILE) {
    problems.push('AUTH_JWT_PUBLIC_KEY_FILE: set AUTH_JWKS_URL or AUTH_JWT_PUBLIC_KEY_FILE, not both');
  }
  if (env.AUTH_JWKS_URL && !context.isLoopbackOrHttps(env.AUTH_JWKS_URL)) {
    problems.push('AUTH_JWKS_URL: must use https (plain http is allowed for a loopback host only)');
  }
  if (jwt && (!env.AUTH_ISSUER || !env.AUTH_AUDIENCE)) {
    problems.push('AUTH_ISSUER, AUTH_AUDIENCE: both are required with AUTH_JWKS_URL or AUTH_JWT_PUBLIC_KEY_FILE');
  }
  if (!jwt && (env.AUTH_ISSUER || env.AUTH_AUDIENCE)) {
    problems.push(
      'AUTH_JWKS_URL: AUTH_ISSUER/AUTH_AUDIENCE need AUTH_JWKS_URL or AUTH_JWT_PUBLIC_KEY_FILE (where the signing keys come from)',
    );
  }
  if (jwt && env.AUTH_DISABLED) {
    problems.push('AUTH_DISABLED: true contradicts AUTH_JWKS_URL/AUTH_JWT_PUBLIC_KEY_FILE; set one or the other');
  }
  if (context.production) {
    if (context.upstream === 'server-key' && !jwt && !env.AUTH_DISABLED) {
      problems.push(
        'AUTH_JWKS_URL: NODE_ENV=production with server-held WIX_API_KEY needs caller authentication: set AUTH_JWKS_URL (or AUTH_JWT_PUBLIC_KEY_FILE) with AUTH_ISSUER and AUTH_AUDIENCE, or AUTH_DISABLED=true to let anyone who reaches the port charge',
      );
    }
    if (context.upstream === 'sandbox' && !env.SANDBOX) {
      problems.push(
        'SANDBOX: NODE_ENV=production with neither WIX_API_KEY nor WIX_AUTH=forward would serve the embedded sandbox (a fake ledger); set the Wix credentials, or SANDBOX=true on purpose',
      );
    }
    if (env.AUTH_JWT_PUBLIC_KEY_FILE && resolve(env.AUTH_JWT_PUBLIC_KEY_FILE).startsWith(DEV_KEYS_DIR)) {
      problems.push('AUTH_JWT_PUBLIC_KEY_FILE: the development signing key is never accepted with NODE_ENV=production');
    }
  }
  if (jwt && env.AUTH_ISSUER && env.AUTH_AUDIENCE && problems.length === 0) {
    return {
      auth: {
        kind: 'jwt',
        jwksUrl: env.AUTH_JWKS_URL ?? null,
        publicKeyFile: env.AUTH_JWT_PUBLIC_KEY_FILE ?? null,
        issuer: env.AUTH_ISSUER,
        audience: env.AUTH_AUDIENCE,
        scopesClaim: env.AUTH_SCOPES_CLAIM ?? null,
        algorithms: (env.AUTH_ALGORITHMS as AllowedAlgorithm[] | undefined) ?? [...ALLOWED_ALGORITHMS],
      },
      problems,
    };
  }
  const reason =
    context.upstream === 'forward'
      ? 'forward'
      : env.AUTH_DISABLED
        ? 'disabled'
        : context.upstream === 'sandbox'
          ? 'sandbox'
          : 'development';
  return { auth: { kind: 'none', reason }, problems };
}
