/**
 * What every service of the local AWS endpoint shares: who and where it is, the topology it
 * was seeded with, and the clock. Services never read Date.now() directly, so tests and
 * benchmarks can run time scaled or virtual (target health, deregistration delay, replays).
 */

export interface Clock {
  /** milliseconds since the epoch, on this clock */
  now(): number;
  /** runs `fn` after `ms` of this clock's time; returns a cancel function */
  setTimer(ms: number, fn: () => void): () => void;
}

export interface SubnetSeed {
  id: string;
  availabilityZone: string;
  cidr: string;
  /** the subnet's IPv6 /64, when the VPC has an IPv6 block (dualstack load balancers need one) */
  ipv6Cidr?: string;
  /** e.g. { 'kubernetes.io/role/elb': '1', 'kubernetes.io/cluster/demo': 'shared' } */
  tags: Record<string, string>;
}

export interface ClusterSeed {
  name: string;
  /** the Kubernetes API endpoint slbc's resync reaches (the simulated cluster serves it locally) */
  endpoint: string;
  /** base64 PEM; empty for the local plain-HTTP API */
  certificateAuthority: string;
  version: string;
}

export interface Topology {
  account: string;
  region: string;
  vpc: { id: string; cidr: string };
  subnets: SubnetSeed[];
  clusters: ClusterSeed[];
}

export interface ServiceContext {
  readonly account: string;
  readonly region: string;
  readonly topology: Topology;
  readonly clock: Clock;
}

/** Real time, optionally sped up: `scale: 10` makes a 30 s health check take 3 s of wall time. */
export function scaledClock(scale = 1): Clock {
  const start = Date.now();
  return {
    now: () => start + (Date.now() - start) * scale,
    setTimer(ms, fn) {
      const timer = setTimeout(fn, Math.max(0, ms / scale));
      timer.unref?.();
      return () => clearTimeout(timer);
    },
  };
}

/** Time that moves only when told to: `advance(ms)` fires every timer that falls due, in order. */
export interface VirtualClock extends Clock {
  advance(ms: number): void;
}

export function virtualClock(startMs = Date.parse('2026-01-01T00:00:00Z')): VirtualClock {
  let now = startMs;
  let seq = 0;
  const timers = new Map<number, { due: number; fn: () => void }>();
  return {
    now: () => now,
    setTimer(ms, fn) {
      const id = seq++;
      timers.set(id, { due: now + Math.max(0, ms), fn });
      return () => timers.delete(id);
    },
    advance(ms) {
      const until = now + ms;
      for (;;) {
        let next: [number, { due: number; fn: () => void }] | undefined;
        for (const entry of timers)
          if (entry[1].due <= until && (!next || entry[1].due < next[1].due)) next = entry;
        if (!next) break;
        timers.delete(next[0]);
        now = next[1].due;
        next[1].fn();
      }
      now = until;
    },
  };
}
