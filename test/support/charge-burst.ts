/** Many concurrent charges with distinct keys, spread over gateway URLs; answers counted by __typename (or error code). */
import { randomUUID } from 'node:crypto';
import { postJson } from './harness';

export const BURST_CHARGE = `mutation Charge($input: ChargeCreditsInput!) {
  chargeCredits(input: $input) {
    __typename
    ... on BudgetExceeded { budget used requested resetsAt message }
  }
}`;

export async function chargeBurst(
  urls: string[],
  count: number,
  credits = 1,
  headers: Record<string, string> = {},
): Promise<Record<string, number>> {
  const answers = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const res = await postJson(
        `${urls[i % urls.length]}/graphql`,
        { query: BURST_CHARGE, variables: { input: { credits, idempotencyKey: randomUUID() } } },
        headers,
      );
      const body = JSON.parse(res.raw) as {
        data?: { chargeCredits: { __typename: string } };
        errors?: { extensions?: { code?: string } }[];
      };
      return body.data?.chargeCredits.__typename ?? String(body.errors?.[0]?.extensions?.code);
    }),
  );
  const counts: Record<string, number> = {};
  for (const answer of answers) counts[answer] = (counts[answer] ?? 0) + 1;
  return counts;
}
