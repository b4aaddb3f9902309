/**
 * The traffic model of a scenario: requests sent on the clock, at a steady rate, through the
 * local ALB/NLB router to the pod behind the target the load balancer picks. Each request gets
 * the status a client would see:
 *
 *   0    no load balancer answers (none yet, still provisioning, no listener on the port)
 *   404  no rule matches (the listener's default fixed response), or any fixed response's code
 *   503  the forward has no target to use (none registered, only draining or initial ones)
 *   502  the chosen target's pod does not answer (stopped after SIGTERM, gone, not serving)
 *   200  the pod answered
 *
 * Target choice is ELBv2's: healthy targets in turn, every non-draining target when none is
 * healthy (fail open), never a draining one (the router's own rules, routing.ts).
 */
import type { RouteRequest, RouteResult } from '../aws/elbv2/index.js';

export interface TrafficTotals {
  sent: number;
  ok: number;
  failed: number;
  /** HTTP status (as a string, `0` = no load balancer answered) → requests */
  byStatus: Record<string, number>;
}

/** where requests for one flow go, once its load balancer is known */
export interface Entrypoint {
  loadBalancerArn: string;
  port: number;
  host: string;
  path: string;
}

/** what the model reads from the world (the local system in a scenario, fakes in unit tests) */
export interface TrafficWorld {
  now(): number;
  setTimer(ms: number, fn: () => void): () => void;
  /** the load balancer serving `to` (`Ingress ns/name` or `Service ns/name`), if any yet */
  entrypoint(to: string): Entrypoint | undefined;
  loadBalancerState(arn: string): 'provisioning' | 'active' | undefined;
  route(request: RouteRequest): RouteResult;
  /** does the pod (IP target) or node port path (instance target) behind `id:port` answer */
  answers(id: string, port: number): boolean;
}

export function emptyTotals(): TrafficTotals {
  return { sent: 0, ok: 0, failed: 0, byStatus: {} };
}

/** One request: the status the client sees. `turn` picks among the usable targets (round robin). */
export function sendRequest(world: TrafficWorld, to: string, turn: number): number {
  const entry = world.entrypoint(to);
  if (!entry || world.loadBalancerState(entry.loadBalancerArn) !== 'active') return 0;
  let result: RouteResult;
  try {
    result = world.route({
      loadBalancerArn: entry.loadBalancerArn,
      port: entry.port,
      host: entry.host,
      path: entry.path,
    });
  } catch {
    return 0; // no listener on the port (yet)
  }
  if (result.action.type !== 'forward' || result.status !== 200) return result.status;
  const targets = result.targets ?? [];
  const chosen = targets[turn % targets.length];
  if (chosen === undefined) return 503;
  const separator = chosen.lastIndexOf(':');
  const port = Number(chosen.slice(separator + 1));
  return world.answers(chosen.slice(0, separator), port) ? 200 : 502;
}

interface Flow {
  to: string;
  rps: number;
  startedAt: number;
  sent: number;
  cancel: () => void;
}

/** Steady flows of requests on the world's clock; several may run at once. */
export class TrafficGenerator {
  private readonly totals = emptyTotals();
  private readonly flows = new Map<string, Flow>();
  private turn = 0;

  constructor(private readonly world: TrafficWorld) {}

  /** starts (or restarts at a new rate) the flow to `to` */
  start(to: string, rps: number): void {
    if (!(rps > 0)) throw new Error(`traffic to ${to}: rps: must be a number > 0 (got ${rps})`);
    this.stop(to);
    const flow: Flow = { to, rps, startedAt: this.world.now(), sent: 0, cancel: () => {} };
    this.flows.set(to, flow);
    // A tick every request interval (at least 20 ms of clock); late ticks catch up, at most one second's worth.
    const tickMs = Math.max(20, 1000 / rps);
    const tick = () => {
      if (this.flows.get(to) !== flow) return;
      const due = Math.floor(((this.world.now() - flow.startedAt) * rps) / 1000) - flow.sent;
      const burst = Math.min(due, Math.ceil(rps));
      for (let i = 0; i < burst; i++) this.record(sendRequest(this.world, to, this.turn++));
      flow.sent += Math.max(0, due);
      flow.cancel = this.world.setTimer(tickMs, tick);
    };
    flow.cancel = this.world.setTimer(tickMs, tick);
  }

  /** stops one flow, or every flow */
  stop(to?: string): void {
    for (const flow of [...this.flows.values()])
      if (to === undefined || flow.to === to) {
        flow.cancel();
        this.flows.delete(flow.to);
      }
  }

  running(): string[] {
    return [...this.flows.keys()];
  }

  report(): TrafficTotals {
    const byStatus = Object.fromEntries(
      Object.entries(this.totals.byStatus).sort(([a], [b]) => Number(a) - Number(b)),
    );
    return { ...this.totals, byStatus };
  }

  private record(status: number): void {
    this.totals.sent++;
    if (status >= 200 && status < 400) this.totals.ok++;
    else this.totals.failed++;
    const key = String(status);
    this.totals.byStatus[key] = (this.totals.byStatus[key] ?? 0) + 1;
  }
}
