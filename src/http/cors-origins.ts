/**
 * CORS_ORIGINS → the browser origins allowed to call the gateway. A browser sends its origin as
 * `scheme://host[:port]` exactly (no path, no trailing slash), so anything else in the list would
 * silently match nothing: such entries stop start-up with a line saying what to write instead.
 * `*` (every website) is refused unless CORS_ALLOW_ANY=true confirms it.
 */

/** Allowed origins, normalized as browsers send them; 'any': every origin (CORS_ALLOW_ANY=true). */
export type CorsOrigins = readonly string[] | 'any';

export type CorsOriginsResult = { ok: true; origins: CorsOrigins } | { ok: false; problems: string[] };

const ORIGIN_SHAPE = /^(https?):\/\/([^/?#\s]+)(.*)$/i;
const HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$|^\[[0-9a-f:.]+\]$/i;

function problemWith(entry: string): { origin: string } | { problem: string } {
  const shape = ORIGIN_SHAPE.exec(entry);
  if (!shape) {
    const hint = /^[\w.-]+(:\d+)?$/.test(entry) ? ` (write http://${entry} or https://${entry})` : '';
    return { problem: `"${entry}" is not an origin: write scheme://host[:port] with scheme http or https${hint}` };
  }
  const [, scheme, authority, rest] = shape as unknown as [string, string, string, string];
  if (rest === '/') {
    return {
      problem: `"${entry}" ends with a slash: browsers send the origin without one, write ${scheme}://${authority}`,
    };
  }
  if (rest !== '') {
    return {
      problem: `"${entry}" has a path, query or fragment: an origin is scheme://host[:port] only, write ${scheme}://${authority}`,
    };
  }
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return { problem: `"${entry}" is not a valid origin` };
  }
  if (url.username || url.password || !HOST.test(url.hostname)) {
    return { problem: `"${entry}" has no valid host: an origin is scheme://host[:port] (no wildcards, no user info)` };
  }
  return { origin: url.origin };
}

/** Parses CORS_ORIGINS (comma-separated); every problem is one line naming the entry. */
export function parseCorsOrigins(raw: string | undefined, allowAny: boolean): CorsOriginsResult {
  const entries = (raw ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.includes('*')) {
    if (!allowAny) {
      return {
        ok: false,
        problems: [
          '"*" lets every website call the gateway from its visitors\' browsers; list the origins, or set CORS_ALLOW_ANY=true to mean it',
        ],
      };
    }
    if (entries.length > 1)
      return { ok: false, problems: ['"*" already allows every origin: list origins or "*", not both'] };
    return { ok: true, origins: 'any' };
  }
  const origins: string[] = [];
  const problems: string[] = [];
  for (const entry of entries) {
    const checked = problemWith(entry);
    if ('problem' in checked) problems.push(checked.problem);
    else if (!origins.includes(checked.origin)) origins.push(checked.origin);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, origins };
}

/** Is this request origin (the Origin header) allowed? */
export function isOriginAllowed(origins: CorsOrigins, origin: string | undefined): boolean {
  if (!origin) return false;
  return origins === 'any' || origins.includes(origin);
}
