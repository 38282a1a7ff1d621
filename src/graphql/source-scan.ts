/**
 * One pass over a document's text, before it is parsed, that finds a document over MAX_TOKENS or
 * MAX_FIELDS without building anything: parsing 2,000 tokens allocates about a megabyte (tokens,
 * nodes, locations), and collecting that garbage made rejecting a large document cost several
 * served requests. The pass allocates nothing per call.
 *
 * It counts as graphql-js does: tokens are the lexical tokens its parser advances over (comments
 * and EOF excluded), comments are counted apart (its `maxComments`); fields are the Field nodes a valid document has (a name in a selection set
 * that is not an alias's field name, a spread's fragment name, `on` or its type, or a directive
 * name). It is conservative: any text it does not fully understand (a character, number or string
 * graphql-js would refuse, unbalanced brackets) gives no verdict, and the document is parsed as
 * usual, so the parser's own error is reported. A verdict on text that lexes but would not parse
 * (a grammar error before the limit) names the limit rather than the grammar error.
 *
 * Text it stops on, or whose brackets are still open at its end, is SUSPECT: most likely a syntax
 * error, so the caller parses it without locations (a quarter cheaper; the parser's error is the
 * same, its position taken from the token), and parses it again only if it parses after all.
 */

export interface SourceVerdict {
  limit: 'tokens' | 'comments' | 'fields';
  /** Offset of the first token (or field) past the limit: where the error points. */
  position: number;
}

/** The text is within the limits as far as the pass read, but probably will not parse. */
export const SUSPECT = 'suspect' as const;
export type ScanResult = SourceVerdict | typeof SUSPECT | null;

const SELECTION = 1;
const VALUE = 2;
const PAREN = 3;
const BRACKET = 4;

/** What the previous token was, as far as telling a field from other names needs. */
const OTHER = 0;
const SPREAD = 1;
const AT = 2;
const COLON = 3;
const ON_AFTER_SPREAD = 4;

const isNameStart = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isNameContinue = (c: number) => isNameStart(c) || isDigit(c);
const isHexDigit = (c: number) => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

export class SourceScanner {
  /** Bracket kinds open at each depth; nesting is bounded by the token limit. */
  private readonly open: Uint8Array;

  constructor(
    private readonly maxTokens: number,
    private readonly maxFields: number,
    private readonly maxComments: number,
  ) {
    this.open = new Uint8Array(maxTokens + 2);
  }

  /** The limit the text is over; SUSPECT: not understood or unbalanced (the parser decides); null: within them. */
  scan(body: string): ScanResult {
    const n = body.length;
    // Every token takes a character, every field a name plus a separator, every comment a `#`
    // plus a line end: short text fits.
    if (n <= this.maxTokens && n <= 2 * this.maxFields && n <= 2 * this.maxComments) return null;
    const open = this.open;
    let depth = 0;
    let tokens = 0;
    let fields = 0;
    let comments = 0;
    let overFieldsAt = -1;
    let previous = OTHER;
    let i = 0;
    while (i < n) {
      const c = body.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x2c || c === 0x0a || c === 0x0d || c === 0xfeff) {
        i++;
        continue;
      }
      if (c === 0x23) {
        if (++comments > this.maxComments) return { limit: 'comments', position: i };
        while (i < n && body.charCodeAt(i) !== 0x0a && body.charCodeAt(i) !== 0x0d) i++;
        continue;
      }
      const start = i;
      if (++tokens > this.maxTokens) return { limit: 'tokens', position: start };
      if (isNameStart(c)) {
        i++;
        while (i < n && isNameContinue(body.charCodeAt(i))) i++;
        const inSelection = depth > 0 && open[depth - 1] === SELECTION;
        if (
          inSelection &&
          previous !== SPREAD &&
          previous !== AT &&
          previous !== COLON &&
          previous !== ON_AFTER_SPREAD
        ) {
          if (++fields > this.maxFields && overFieldsAt < 0) overFieldsAt = start;
        }
        const isOn = i - start === 2 && body.charCodeAt(start) === 0x6f && body.charCodeAt(start + 1) === 0x6e;
        previous = previous === SPREAD && isOn ? ON_AFTER_SPREAD : OTHER;
        continue;
      }
      previous = OTHER;
      switch (c) {
        case 0x7b: // {
          open[depth] = depth === 0 || open[depth - 1] === SELECTION ? SELECTION : VALUE;
          depth++;
          i++;
          continue;
        case 0x28: // (
          open[depth++] = PAREN;
          i++;
          continue;
        case 0x5b: // [
          open[depth++] = BRACKET;
          i++;
          continue;
        case 0x7d: // }
          if (depth === 0 || (open[depth - 1] !== SELECTION && open[depth - 1] !== VALUE)) return SUSPECT;
          depth--;
          i++;
          continue;
        case 0x29: // )
          if (depth === 0 || open[depth - 1] !== PAREN) return SUSPECT;
          depth--;
          i++;
          continue;
        case 0x5d: // ]
          if (depth === 0 || open[depth - 1] !== BRACKET) return SUSPECT;
          depth--;
          i++;
          continue;
        case 0x21: // !
        case 0x24: // $
        case 0x26: // &
        case 0x3d: // =
        case 0x7c: // |
          i++;
          continue;
        case 0x3a: // :
          previous = COLON;
          i++;
          continue;
        case 0x40: // @
          previous = AT;
          i++;
          continue;
        case 0x2e: // ...
          if (body.charCodeAt(i + 1) !== 0x2e || body.charCodeAt(i + 2) !== 0x2e) return SUSPECT;
          previous = SPREAD;
          i += 3;
          continue;
        case 0x22: // " or """
          i = body.startsWith('"""', i) ? blockStringEnd(body, i + 3) : stringEnd(body, i + 1);
          if (i < 0) return SUSPECT;
          continue;
        default:
          if (c !== 0x2d && !isDigit(c)) return SUSPECT;
          i = numberEnd(body, i);
          if (i < 0) return SUSPECT;
      }
    }
    if (depth > 0) return SUSPECT;
    return overFieldsAt >= 0 ? { limit: 'fields', position: overFieldsAt } : null;
  }
}

/** Past the closing quote of a string whose text starts at `i`; -1 if graphql-js might refuse it. */
function stringEnd(body: string, i: number): number {
  while (i < body.length) {
    const c = body.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c === 0x5c) {
      const escaped = body.charCodeAt(i + 1);
      if (escaped === 0x75) {
        const next = body.charCodeAt(i + 2);
        if (!isHexDigit(next) && next !== 0x7b) return -1;
      } else if (!'"\\/bfnrt'.includes(body.charAt(i + 1)) || i + 1 >= body.length) return -1;
      i += 2;
      continue;
    }
    if (c < 0x20 && c !== 0x09) return -1;
    i++;
  }
  return -1;
}

/** Past the closing `"""` of a block string whose text starts at `i`; -1 if it never closes. */
function blockStringEnd(body: string, i: number): number {
  while (i < body.length) {
    const c = body.charCodeAt(i);
    if (c === 0x22 && body.startsWith('"""', i)) return i + 3;
    if (c === 0x5c && body.startsWith('"""', i + 1)) i += 4;
    else if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return -1;
    else i++;
  }
  return -1;
}

/** Past a number starting at `i`, as graphql-js reads one; -1 if it would refuse it. */
function numberEnd(body: string, i: number): number {
  if (body.charCodeAt(i) === 0x2d) i++;
  if (!isDigit(body.charCodeAt(i))) return -1;
  if (body.charCodeAt(i) === 0x30 && isDigit(body.charCodeAt(i + 1))) return -1;
  while (isDigit(body.charCodeAt(i))) i++;
  if (body.charCodeAt(i) === 0x2e) {
    i++;
    if (!isDigit(body.charCodeAt(i))) return -1;
    while (isDigit(body.charCodeAt(i))) i++;
  }
  if (body.charCodeAt(i) === 0x65 || body.charCodeAt(i) === 0x45) {
    i++;
    if (body.charCodeAt(i) === 0x2b || body.charCodeAt(i) === 0x2d) i++;
    if (!isDigit(body.charCodeAt(i))) return -1;
    while (isDigit(body.charCodeAt(i))) i++;
  }
  const next = body.charCodeAt(i);
  return next === 0x2e || isNameStart(next) ? -1 : i;
}
