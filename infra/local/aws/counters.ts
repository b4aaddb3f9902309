/**
 * Calls per service and action, so tests can assert "this reconcile made no ELBv2 writes" and
 * benchmarks can count API cost. Mutating ELBv2 calls are tallied on their own: they are what
 * AWS throttles hardest and what an idle controller must not make.
 */

const ELBV2_MUTATION = /^(Create|Delete|Modify|Register|Deregister|Set|AddTags|RemoveTags)/;

export interface CounterSnapshot {
  total: number;
  /** calls per service, e.g. { elbv2: 12, ec2: 3 } */
  byService: Record<string, number>;
  /** calls per `service:Action`, e.g. { 'elbv2:RegisterTargets': 4 } */
  byAction: Record<string, number>;
  elbv2Mutations: number;
}

export class Counters {
  private readonly calls = new Map<string, number>();
  private readonly services = new Map<string, number>();
  private total = 0;
  private elbv2Mutations = 0;

  record(service: string, action: string): void {
    const key = `${service}:${action}`;
    this.calls.set(key, (this.calls.get(key) ?? 0) + 1);
    this.services.set(service, (this.services.get(service) ?? 0) + 1);
    this.total++;
    if (service === 'elbv2' && ELBV2_MUTATION.test(action)) this.elbv2Mutations++;
  }

  get(service: string, action?: string): number {
    return action === undefined
      ? (this.services.get(service) ?? 0)
      : (this.calls.get(`${service}:${action}`) ?? 0);
  }

  snapshot(): CounterSnapshot {
    return {
      total: this.total,
      byService: Object.fromEntries(this.services),
      byAction: Object.fromEntries(this.calls),
      elbv2Mutations: this.elbv2Mutations,
    };
  }

  reset(): void {
    this.calls.clear();
    this.services.clear();
    this.total = 0;
    this.elbv2Mutations = 0;
  }
}
