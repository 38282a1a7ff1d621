/**
 * The embedded Wix AI Credits sandbox upstream. Demo credentials: API key
 * `sandbox-demo-api-key`, account and site ids in DEMO_ACCOUNT (seed.ts).
 */
export { startSandbox, DEFAULT_SEED, DEFAULT_HISTORY_SIZE } from './sandbox-server';
export { DEMO_ACCOUNT, OTHER_ACCOUNT, DEMO_SUBSCRIPTION_ID, SEED_CALLER_APP_IDS } from './seed';
export { SANDBOX_CALLER_APP_ID, Ledger } from './ledger';
export type { ChargeOutcome, LedgerAccount, LedgerEntry, LedgerOptions } from './ledger';
export { parseChargeRequest } from './charge-request';
export type { NormalizedCharge } from './charge-request';
export { SANDBOX_ROUTES } from './types';
export type {
  BalanceSnapshot,
  CreateAccountOptions,
  FaultController,
  FaultKind,
  FaultRule,
  RequestRecord,
  Sandbox,
  SandboxAccount,
  SandboxCounters,
  SandboxOptions,
  SandboxRoute,
} from './types';
