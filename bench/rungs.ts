/** The rungs of the cost ledger that ladder-process.ts serves (kept apart: importing a child module starts it). */
export const RUNGS = ['fastify', 'apollo-fastify', 'type-graphql', 'apollo-http'] as const;
export type Rung = (typeof RUNGS)[number];
