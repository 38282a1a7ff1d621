/** Upstream request headers: the credentials, accept, content-type with a body; built once per credentials object. */
import { requestHeaders } from '../../src/wix/wix-credentials';

describe('requestHeaders', () => {
  test('carry the key, the one context header and accept; content-type only with a body', () => {
    const account = { authorization: 'key', accountId: 'acc' };
    expect(requestHeaders(account, false)).toEqual({
      authorization: 'key',
      'wix-account-id': 'acc',
      accept: 'application/json',
    });
    expect(requestHeaders({ authorization: 'key', siteId: 'site' }, true)).toEqual({
      authorization: 'key',
      'wix-site-id': 'site',
      accept: 'application/json',
      'content-type': 'application/json',
    });
  });

  test('are one frozen object per credentials object, never shared across credentials', () => {
    const a = { authorization: 'key-a', accountId: 'acc' };
    const b = { authorization: 'key-b', accountId: 'acc' };
    expect(requestHeaders(a, true)).toBe(requestHeaders(a, true));
    expect(Object.isFrozen(requestHeaders(a, true))).toBe(true);
    expect(requestHeaders(b, true).authorization).toBe('key-b');
  });
});
