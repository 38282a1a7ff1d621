/** Who is calling, as a verified token says. */
export interface Principal {
  /** The token's `sub`. */
  subject: string;
  scopes: ReadonlySet<string>;
  /** The `credits_budget` claim (a decimal string), when present: it overrides CHARGE_BUDGET_PER_DAY. */
  budget: string | null;
  /** The token's `exp` in ms (required). */
  expiresAtMs: number;
}
