/** readBoundedText: the whole body within the bound, a cut-off one past it, a stream's own errors as they are. */
import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { ResponseTooLargeError, readBoundedText } from '../../src/wix/bounded-body';

const body = (stream: Readable) => stream as unknown as Dispatcher.ResponseData['body'];

describe('readBoundedText', () => {
  test('joins a body that arrives in several chunks, multi-byte characters split across them', async () => {
    const bytes = Buffer.from('{"name":"crédit ✓"}', 'utf8');
    const stream = Readable.from([bytes.subarray(0, 10), bytes.subarray(10, 12), bytes.subarray(12)], {
      objectMode: false,
    });
    await expect(readBoundedText(body(stream), 1_000)).resolves.toBe('{"name":"crédit ✓"}');
  });

  test('reads an empty body as the empty string', async () => {
    await expect(readBoundedText(body(Readable.from([], { objectMode: false })), 10)).resolves.toBe('');
  });

  test('cuts off a body past the bound and destroys the stream', async () => {
    const stream = Readable.from([Buffer.alloc(6), Buffer.alloc(6), Buffer.alloc(6)], { objectMode: false });
    await expect(readBoundedText(body(stream), 10)).rejects.toBeInstanceOf(ResponseTooLargeError);
    expect(stream.destroyed).toBe(true);
  });

  test("rejects with the stream's own error", async () => {
    const stream = new Readable({ read() {} });
    const read = readBoundedText(body(stream), 100);
    stream.push(Buffer.from('{"a"'));
    stream.destroy(Object.assign(new Error('socket hang up'), { code: 'UND_ERR_SOCKET' }));
    await expect(read).rejects.toMatchObject({ code: 'UND_ERR_SOCKET' });
  });

  test('rejects a stream closed before its end', async () => {
    const stream = new Readable({ read() {} });
    const read = readBoundedText(body(stream), 100);
    stream.push(Buffer.from('{'));
    stream.destroy();
    await expect(read).rejects.toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
  });
});
