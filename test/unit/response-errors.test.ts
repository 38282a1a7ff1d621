import { GraphQLError } from 'graphql';
import { responseErrors } from '../../src/graphql/response-errors';

const identity = (formatted: unknown) => formatted as never;

describe('responseErrors (Apollo’s formatting of execution errors)', () => {
  it('moves extensions.http to the response head and defaults the code', () => {
    const limited = new GraphQLError('slow down', {
      extensions: { code: 'RATE_LIMITED', http: { status: 429, headers: new Map([['retry-after', '3']]) } },
    });
    const bare = new GraphQLError('boom', { path: ['a'] });
    const head = responseErrors([limited, bare], { formatError: identity, includeStacktrace: false });
    expect(head.status).toBe(429);
    expect([...head.headers]).toEqual([['retry-after', '3']]);
    expect(head.errors).toEqual([
      { message: 'slow down', extensions: { code: 'RATE_LIMITED' } },
      { message: 'boom', path: ['a'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
    ]);
  });

  it('answers "Internal server error" when formatError throws, and adds stack traces only when asked', () => {
    const throwing = () => {
      throw new Error('formatter broke');
    };
    const [masked] = responseErrors([new GraphQLError('x')], {
      formatError: throwing,
      includeStacktrace: false,
    }).errors;
    expect(masked).toEqual({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    const [traced] = responseErrors([new GraphQLError('x')], { formatError: identity, includeStacktrace: true }).errors;
    expect(traced?.extensions?.stacktrace).toEqual(expect.arrayContaining([expect.stringContaining('x')]));
  });
});
