/**
 * The content type of a single-result GraphQL response for a request's Accept header, chosen as
 * Apollo Server chooses it (`chooseContentTypeForSingleResultResponse`): application/json without
 * an Accept header, otherwise the best match among Apollo's JSON types, or null (Apollo answers
 * 406). Clients send the same few Accept headers over and over: the answers are remembered.
 */
import Negotiator from 'negotiator';

const APPLICATION_JSON = 'application/json; charset=utf-8';
const APPLICATION_GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json; charset=utf-8';
/** Apollo's subscription-callback type: the fast path leaves it to Apollo. */
const APPLICATION_JSON_GRAPHQL_CALLBACK = 'application/json; callbackSpec=1.0; charset=utf-8';
const OFFERED = [APPLICATION_JSON, APPLICATION_GRAPHQL_RESPONSE_JSON, APPLICATION_JSON_GRAPHQL_CALLBACK];

/** Distinct Accept headers remembered; past it, negotiated each time. */
const MAX_REMEMBERED = 64;
/** Longer Accept headers are negotiated each time, never remembered. */
const MAX_REMEMBERED_LENGTH = 256;

const remembered = new Map<string, string | null>();

function negotiate(accept: string): string | null {
  const preferred = new Negotiator({ headers: { accept } }).mediaType(OFFERED);
  // The callback type is for subscriptions over HTTP callbacks: Apollo's business, not ours.
  return preferred && preferred !== APPLICATION_JSON_GRAPHQL_CALLBACK ? preferred : null;
}

/** The response's content type, or null: the fast path does not answer this request. */
export function responseContentType(accept: string | undefined): string | null {
  if (!accept) return APPLICATION_JSON;
  const known = remembered.get(accept);
  if (known !== undefined) return known;
  const chosen = negotiate(accept);
  if (remembered.size < MAX_REMEMBERED && accept.length <= MAX_REMEMBERED_LENGTH) remembered.set(accept, chosen);
  return chosen;
}
