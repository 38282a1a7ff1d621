/**
 * BufferedResponse: one upstream request with the answer buffered whole within the byte bound,
 * cut off past it, and undici's own errors (socket, abort) passed on as they are.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { BufferedResponse, ResponseTooLargeError } from '../../src/wix/bounded-body';

type Route = (res: ServerResponse) => void;

describe('BufferedResponse', () => {
  const routes = new Map<string, Route>();
  let server: Server;
  let pool: Pool;

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      const route = routes.get(req.url ?? '');
      if (route) route(res);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    pool = new Pool(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { connections: 4 });
  });
  afterAll(async () => {
    await pool.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const send = (path: string, maxBytes = 1_000, signal?: AbortSignal) => {
    const response = new BufferedResponse(maxBytes);
    const body = response.send(pool, {
      method: 'POST',
      path,
      headers: { 'content-type': 'application/json' },
      body: '{}',
      signal,
      headersTimeout: 5_000,
      bodyTimeout: 5_000,
    });
    return { response, body };
  };

  test('joins a body sent in several chunks, a multi-byte character split across two', async () => {
    const bytes = Buffer.from('{"name":"crédit ✓"}', 'utf8');
    routes.set('/chunks', (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(bytes.subarray(0, 10));
      setImmediate(() => {
        res.write(bytes.subarray(10, 12));
        setImmediate(() => res.end(bytes.subarray(12)));
      });
    });
    const { response, body } = send('/chunks');
    await expect(body).resolves.toBe('{"name":"crédit ✓"}');
    expect(response.status).toBe(200);
  });

  test('reads the status, x-wix-request-id and retry-after of any answer', async () => {
    routes.set('/busy', (res) => res.writeHead(429, { 'X-Wix-Request-Id': 'req-1', 'Retry-After': '2' }).end('{}'));
    const { response, body } = send('/busy');
    await expect(body).resolves.toBe('{}');
    expect(response).toMatchObject({ status: 429, requestId: 'req-1', retryAfter: '2' });
  });

  test('reads an empty body as the empty string', async () => {
    routes.set('/empty', (res) => res.writeHead(204).end());
    await expect(send('/empty').body).resolves.toBe('');
  });

  test('cuts off a body past the bound; the request id is still known', async () => {
    routes.set('/large', (res) => {
      res.writeHead(200, { 'x-wix-request-id': 'req-2' });
      res.write(Buffer.alloc(600));
      setImmediate(() => res.end(Buffer.alloc(600)));
    });
    const { response, body } = send('/large', 1_000);
    await expect(body).rejects.toBeInstanceOf(ResponseTooLargeError);
    expect(response.requestId).toBe('req-2');
  });

  test("rejects with the signal's reason when it aborts during the request", async () => {
    routes.set('/slow', () => undefined); // never answers
    const controller = new AbortController();
    const { body } = send('/slow', 1_000, controller.signal);
    setImmediate(() => controller.abort(new DOMException('deadline', 'TimeoutError')));
    await expect(body).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  test("rejects with undici's error when the connection drops mid-body", async () => {
    routes.set('/cut', (res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('{"a"');
      setImmediate(() => res.socket?.destroy());
    });
    await expect(send('/cut').body).rejects.toMatchObject({ code: expect.stringMatching(/^UND_ERR_/) });
  });
});
