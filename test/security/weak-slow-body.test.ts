/**
 * Weak spot: a request trickling its headers or body held a connection for Node's defaults
 * (60 s for headers, 300 s for the request). Now both must have arrived within
 * REQUEST_BODY_TIMEOUT_MS, or the answer is 408 and the connection is closed.
 */
import { connect, type Socket } from 'node:net';
import { startHarness, type Harness } from '../support/harness';

const TIMEOUT_MS = 1_000;

/** Writes `text`, never finishes the request, and resolves with all the server sent until it closed. */
function sendPartial(url: string, text: string): Promise<{ answer: string; elapsedMs: number }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let answer = '';
    const socket: Socket = connect(Number(port), hostname, () => socket.write(text));
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      answer += chunk;
    });
    socket.on('error', reject);
    socket.on('close', () => resolve({ answer, elapsedMs: Date.now() - started }));
    setTimeout(() => {
      socket.destroy();
      reject(new Error(`connection still open after 30 s; got: ${answer.slice(0, 200)}`));
    }, 30_000).unref();
  });
}

describe('slow request bodies and headers', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ config: { requestBodyTimeoutMs: TIMEOUT_MS } });
  });
  afterAll(() => h.close());

  it('closes a request whose body has not fully arrived with 408', async () => {
    const { answer } = await sendPartial(
      h.url,
      'POST /graphql HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"query":',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(h.sandbox.counters.total()).toBe(0);
  });

  it('closes a request whose headers have not fully arrived with 408', async () => {
    const { answer } = await sendPartial(h.url, 'POST /graphql HTTP/1.1\r\nHost: x\r\ncontent-type: appl');
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('still serves a request that arrives in time', async () => {
    const res = await h.graphql('{ creditBalance { availableCredits } }');
    expect(res.status).toBe(200);
  });
});
