import { GraphQLError, Source } from 'graphql';
import { VerdictCache } from '../../src/graphql/verdict-cache';

const hash = (i: number) => i.toString(16).padStart(64, '0');
const errors = (count: number, message = 'Cannot query field "x" on type "Query".') =>
  Array.from({ length: count }, (_, i) => new GraphQLError(message, { source: new Source('{ x }'), positions: [i] }));

describe('VerdictCache', () => {
  it('keeps only messages and offsets, and gives them back', () => {
    const cache = new VerdictCache();
    cache.set(hash(1), [...errors(1), new GraphQLError('Too many validation errors')]);
    expect(cache.get(hash(1))).toEqual([
      { message: 'Cannot query field "x" on type "Query".', positions: [0] },
      { message: 'Too many validation errors', positions: [] },
    ]);
    expect(cache.get(hash(2))).toBeUndefined();
  });

  it('stays within its character bound, dropping the least recently used first', () => {
    const cache = new VerdictCache({ maxChars: 10_000, maxEntryChars: 1_000 });
    for (let i = 0; i < 1_000; i++) {
      cache.set(hash(i), errors(10));
      if (i === 500) expect(cache.get(hash(0))).toBeUndefined();
      cache.get(hash(1)); // kept in use
      expect(cache.heldChars).toBeLessThanOrEqual(10_000);
    }
    expect(cache.get(hash(1))).toBeDefined();
    expect(cache.get(hash(999))).toBeDefined();
    expect(cache.get(hash(2))).toBeUndefined();
    expect(cache.size).toBeLessThan(30);
  });

  it('does not keep a verdict larger than one entry may be', () => {
    const cache = new VerdictCache({ maxChars: 100_000, maxEntryChars: 1_000 });
    cache.set(hash(1), errors(1, 'x'.repeat(2_000)));
    expect(cache.get(hash(1))).toBeUndefined();
    expect(cache.heldChars).toBe(0);
  });

  it('replaces a verdict set again without counting it twice', () => {
    const cache = new VerdictCache();
    cache.set(hash(1), errors(3));
    const held = cache.heldChars;
    cache.set(hash(1), errors(3));
    expect(cache.heldChars).toBe(held);
    expect(cache.size).toBe(1);
  });
});
