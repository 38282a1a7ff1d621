/**
 * A string from outside (a caller's header, an upstream's header or code) made safe for a log
 * line: only printable ASCII without quotes or backslashes, at most `maxLength` characters.
 * Null when nothing usable remains. Used by the HTTP layer and the Wix client alike.
 */
export function sanitizeForLog(value: unknown, maxLength: number): string | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (typeof text !== 'string') return null;
  const clean = text
    .slice(0, maxLength * 4)
    .replace(/[^\x21-\x7e]|["'\\`]/g, '_')
    .slice(0, maxLength);
  return clean === '' ? null : clean;
}
