/** A warning repeated while a dependency stays down is logged once per interval, with a count of the rest. */
import { rateLimitedWarning } from '../../src/common/rate-limited-warning';

describe('rate-limited warning', () => {
  it('logs the first occurrence, suppresses repeats within the interval, then logs with the suppressed count', () => {
    const lines: { fields: Record<string, unknown>; message: string }[] = [];
    let now = 0;
    const warn = rateLimitedWarning(
      () => ({ warn: (fields, message) => lines.push({ fields, message }) }),
      'Redis unavailable',
      (error) => ({ redisError: String(error) }),
      30_000,
      () => now,
    );
    for (let i = 0; i < 120; i++) {
      warn(new Error('ECONNREFUSED')); // about 4 a second for 30 s, as ioredis reports while Redis is down
      now += 250;
    }
    expect(lines).toEqual([{ fields: { redisError: 'Error: ECONNREFUSED' }, message: 'Redis unavailable' }]);
    now += 1;
    warn(new Error('ECONNREFUSED'));
    expect(lines[1]).toEqual({
      fields: { redisError: 'Error: ECONNREFUSED', suppressed: 119 },
      message: 'Redis unavailable',
    });
  });
});
