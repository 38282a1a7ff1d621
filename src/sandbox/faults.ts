/**
 * Fault injection: ordered rules with seeded probabilities and fire limits, plus per-route
 * latency. Decides only; the server carries the fault out.
 */
import { Prng } from './prng';
import { type FaultController, type FaultRule, type SandboxRoute, SANDBOX_ROUTES } from './types';

interface ActiveRule {
  rule: FaultRule;
  routes: ReadonlySet<SandboxRoute> | undefined;
  fired: number;
}

export class FaultInjector implements FaultController {
  private rules: ActiveRule[] = [];
  private readonly latency = new Map<SandboxRoute, number>();
  private readonly prng: Prng;

  constructor(seed: number) {
    this.prng = new Prng(seed);
  }

  add(rule: FaultRule): void {
    const p = rule.probability ?? 1;
    if (!(p >= 0 && p <= 1)) throw new RangeError('probability must be within 0..1');
    if (rule.times !== undefined && !(rule.times >= 0)) throw new RangeError('times must be >= 0');
    this.rules.push({ rule: { ...rule }, routes: rule.routes ? new Set(rule.routes) : undefined, fired: 0 });
  }

  setLatency(ms: number, routes?: SandboxRoute[]): void {
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError('latency must be a finite number >= 0');
    for (const route of routes ?? SANDBOX_ROUTES) {
      if (ms === 0) this.latency.delete(route);
      else this.latency.set(route, ms);
    }
  }

  seed(seed: number): void {
    this.prng.reseed(seed);
  }

  clear(): void {
    this.rules = [];
    this.latency.clear();
  }

  latencyFor(route: SandboxRoute): number {
    return this.latency.get(route) ?? 0;
  }

  /** The rule that fires for this request, if any; counts the firing. */
  pick(route: SandboxRoute): FaultRule | undefined {
    for (const active of this.rules) {
      const { rule } = active;
      if (active.routes && !active.routes.has(route)) continue;
      if (rule.times !== undefined && active.fired >= rule.times) continue;
      const p = rule.probability ?? 1;
      // Only uncertain rules consume a draw, so adding a certain rule does not shift the sequence.
      if (p < 1 && this.prng.next() >= p) continue;
      active.fired++;
      return rule;
    }
    return undefined;
  }
}
