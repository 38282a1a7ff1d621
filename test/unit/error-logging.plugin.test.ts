/** What the error-logging plugin writes to the log and counts, driven without a server. */
import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../../src/graphql/context';
import { errorLoggingPlugin } from '../../src/graphql/plugins';
import { createMetrics } from '../../src/telemetry/metrics';
import { WixHttpError } from '../../src/wix/wix-errors';

type Hooks = {
  didEncounterErrors(ctx: unknown): Promise<void>;
  willSendResponse(ctx: unknown): Promise<void>;
};

async function hooks(logger: { info: jest.Mock; error: jest.Mock }, metrics = createMetrics(false)): Promise<Hooks> {
  const plugin = errorLoggingPlugin(logger as never, metrics);
  return (await plugin.requestDidStart!({} as never)) as unknown as Hooks;
}

const contextValue = { requestId: 'req-1' } as GatewayContext;

describe('error logging plugin', () => {
  it('logs an upstream WixHttpError through an allow-list: never its description, data or field violations', async () => {
    const logger = { info: jest.fn(), error: jest.fn() };
    const upstream = new WixHttpError('queryTransactions', {
      status: 400,
      code: 'INVALID_ARGUMENT',
      description: 'echo of the secret-ish input',
      data: { echoed: 'customer@example.com' },
      fieldViolations: [{ field: 'query.filter', description: 'leaky value customer@example.com' }] as never,
      requestId: 'wix-req-9',
      retryAfterSeconds: null,
    });
    const error = new GraphQLError('wrapped', { originalError: upstream, path: ['creditTransactions'] });
    await (await hooks(logger)).didEncounterErrors({ errors: [error], contextValue, operationName: 'Q' });
    expect(logger.error).toHaveBeenCalledTimes(1);
    const [entry] = logger.error.mock.calls[0]!;
    expect(entry).toMatchObject({ requestId: 'req-1', path: ['creditTransactions'] });
    expect(entry.err).toEqual({
      name: 'WixHttpError',
      message: upstream.message,
      kind: 'http',
      operation: 'queryTransactions',
      status: 400,
      code: 'INVALID_ARGUMENT',
      wixRequestId: 'wix-req-9',
    });
    const logged = JSON.stringify(entry);
    expect(logged).not.toContain('customer@example.com');
    expect(logged).not.toContain('secret-ish');
  });

  it('logs a non-Wix error in full, with its stack', async () => {
    const logger = { info: jest.fn(), error: jest.fn() };
    const bug = new TypeError('cannot read x of undefined');
    await (await hooks(logger)).didEncounterErrors({
      errors: [new GraphQLError('wrapped', { originalError: bug, path: ['creditBalance'] })],
      contextValue,
      operationName: null,
    });
    const [entry] = logger.error.mock.calls[0]!;
    expect(entry.err).toBe(bug);
    expect(entry.err.stack).toContain('TypeError');
  });

  it('counts every error sent to the client by its client-facing code', async () => {
    const metrics = createMetrics(false);
    const logger = { info: jest.fn(), error: jest.fn() };
    const response = {
      body: {
        kind: 'single',
        singleResult: {
          errors: [
            { message: 'a', extensions: { code: 'BAD_USER_INPUT' } },
            { message: 'b', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
            { message: 'c', extensions: { code: 'BAD_USER_INPUT' } },
          ],
        },
      },
    };
    await (await hooks(logger, metrics)).willSendResponse({ response, contextValue });
    const values = (await metrics.graphqlErrors.get()).values;
    expect(values.find((v) => v.labels.code === 'BAD_USER_INPUT')?.value).toBe(2);
    expect(values.find((v) => v.labels.code === 'INTERNAL_SERVER_ERROR')?.value).toBe(1);
    expect(
      response.body.singleResult.errors.every((e) => (e.extensions as Record<string, unknown>).requestId === 'req-1'),
    ).toBe(true);
  });
});
