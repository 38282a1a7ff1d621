/**
 * The urql client. urql rather than Apollo Client: a fraction of the size, and this page needs
 * no normalized or document cache (every read must show the ledger as it is now), so there is
 * no cache exchange at all and the request policy is `network-only`, said explicitly.
 *
 * urql sends queries as GET by default. Apollo Server's CSRF prevention refuses a GET that a
 * browser could send without a preflight, so every operation carries `x-apollo-operation-name`
 * (a non-simple header: the browser preflights it cross-origin, and the gateway allows it).
 */
import { Client, fetchExchange, getOperationName, makeOperation, mapExchange } from '@urql/core';

export interface GatewayClientOptions {
  url: string;
  /** The current bearer token, read for every operation (null: none). */
  token: () => string | null;
}

export function createGatewayClient({ url, token }: GatewayClientOptions): Client {
  const headersExchange = mapExchange({
    onOperation(operation) {
      const bearer = token();
      const headers: Record<string, string> = {
        'x-apollo-operation-name': getOperationName(operation.query) ?? 'anonymous',
      };
      if (bearer) headers.authorization = `Bearer ${bearer}`;
      return makeOperation(operation.kind, operation, { ...operation.context, fetchOptions: { headers } });
    },
  });
  return new Client({
    url,
    exchanges: [headersExchange, fetchExchange],
    requestPolicy: 'network-only',
    preferGetMethod: 'within-url-limit',
  });
}
