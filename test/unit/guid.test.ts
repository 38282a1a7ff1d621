import { parseGuid, toGuid } from '../../src/domain/guid';

const LOWER = '4f8b9a61-3c2d-4e5f-8a7b-1c2d3e4f5a6b';

describe('Guid: checked and lower-cased once, where an id enters', () => {
  it('gives every letter case of one GUID the same lower-case spelling', () => {
    expect(parseGuid(LOWER)).toBe(LOWER);
    expect(parseGuid(LOWER.toUpperCase())).toBe(LOWER);
    expect(parseGuid('4F8b9A61-3c2D-4e5f-8A7b-1c2d3E4f5a6B')).toBe(LOWER);
  });

  it.each([
    ['an empty string', ''],
    ['a label', 'tx-1'],
    ['a GUID without dashes', LOWER.replace(/-/g, '')],
    ['a GUID in braces', `{${LOWER}}`],
    ['a GUID with surrounding space', ` ${LOWER}`],
    ['a GUID with a trailing newline', `${LOWER}\n`],
    ['a non-hex digit', LOWER.replace('f', 'g')],
  ])('finds no GUID in %s', (_, value) => {
    expect(parseGuid(value)).toBeNull();
  });

  it('toGuid returns the canonical spelling, and throws on anything else naming the value (capped)', () => {
    expect(toGuid(LOWER.toUpperCase())).toBe(LOWER);
    expect(() => toGuid('not-a-guid')).toThrow(/not a GUID: "not-a-guid"/);
    expect(() => toGuid('x'.repeat(1_000))).toThrow(/^not a GUID: "x{64}"$/);
  });
});
