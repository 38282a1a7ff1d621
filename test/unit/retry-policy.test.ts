/**
 * The read policy watches the request's deadline itself (cockatiel gets no signal): retries stop
 * once it has passed, with the last attempt's error, and a deadline that passes during a backoff
 * ends the call at once.
 */
import { AbortSource } from '../../src/common/abortable';
import { WixConnectionError, WixTimeoutError } from '../../src/wix/wix-errors';
import { createCallPolicies } from '../../src/wix/retry-policy';

const policies = (initialDelayMs = 1) =>
  createCallPolicies({
    maxAttempts: 3,
    initialDelayMs,
    maxDelayMs: initialDelayMs,
    maxRetryAfterMs: 1_000,
    breakerThreshold: 100,
    halfOpenAfterMs: 1_000,
  });

describe('read policy and the deadline', () => {
  it('retries a transient failure up to the attempt limit while the deadline has not passed', async () => {
    const deadline = new AbortSource();
    let attempts = 0;
    const answer = policies().read.execute('getBalance', deadline, async ({ attempt }) => {
      attempts = attempt;
      if (attempt < 3) throw new WixConnectionError('getBalance', 'ECONNRESET');
      return 'ok';
    });
    await expect(answer).resolves.toBe('ok');
    expect(attempts).toBe(3);
  });

  it('ends the retries with the failed attempt’s own error once the deadline has passed', async () => {
    const deadline = new AbortSource();
    const failure = new WixConnectionError('getBalance', 'ECONNRESET');
    let attempts = 0;
    const answer = policies().read.execute('getBalance', deadline, async () => {
      attempts += 1;
      deadline.abort(new DOMException('The request deadline passed.', 'TimeoutError'));
      throw failure;
    });
    await expect(answer).rejects.toBe(failure);
    expect(attempts).toBe(1);
  });

  it('a deadline that passes during the backoff ends the call at once, as a timeout', async () => {
    const deadline = new AbortSource();
    let attempts = 0;
    const answer = policies(60_000).read.execute('getBalance', deadline, async () => {
      attempts += 1;
      throw new WixConnectionError('getBalance', 'ECONNRESET');
    });
    setTimeout(() => deadline.abort(new DOMException('The request deadline passed.', 'TimeoutError')), 20);
    await expect(answer).rejects.toBeInstanceOf(WixTimeoutError);
    expect(attempts).toBe(1);
  });

  it('makes no AbortController for a call watched by an AbortSource', async () => {
    const controllers = jest.spyOn(globalThis, 'AbortController');
    try {
      const { read, charge } = policies();
      await expect(read.execute('getBalance', new AbortSource(), async () => 1)).resolves.toBe(1);
      await expect(charge.execute('charge', new AbortSource(), async () => 2)).resolves.toBe(2);
      expect(controllers).not.toHaveBeenCalled();
    } finally {
      controllers.mockRestore();
    }
  });
});
