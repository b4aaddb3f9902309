import { DETAIL_TYPES } from '../../events/contract.js';
import { type ActualTarget, targetKey } from '../../plan/targets.js';
import type { Cause } from '../../state/index.js';
import type { TargetsDeps } from './ports.js';

/**
 * Target health read as the LBC's targets cache reads it: a full DescribeTargetHealth of the
 * group first; then, while the group holds exactly the targets the pass wants, only the ones
 * not yet healthy are asked for (Targets=[{Id, Port}]), and once all are healthy no call at
 * all. Anything else changed (a target to register or deregister, one still draining, one
 * that reads as not registered), a resync's request, or the cache's age forces a full read.
 * The cache lives in the process, as the LBC's lives in its pod.
 */
export interface HealthCacheEntry {
  targets: ActualTarget[];
  /** epoch ms: a full read is due after this */
  until: number;
}
export type TargetHealthCache = Map<string, HealthCacheEntry>;

/** The LBC keeps its targets cache five minutes before listing the group again. */
export const HEALTH_CACHE_MS = 5 * 60_000;

export type HealthRead =
  | { kind: 'full'; reason: string }
  | { kind: 'cached'; targets: ActualTarget[] }
  | { kind: 'partial'; ask: { id: string; port: number }[]; cached: ActualTarget[] };

/** Which read a pass needs, from the cache entry and the targets it wants. Pure. */
export function planHealthRead(
  entry: HealthCacheEntry | undefined,
  wanted: readonly { id: string; port: number }[],
  now: number,
  forceFull: boolean,
): HealthRead {
  if (forceFull) return { kind: 'full', reason: 'requested' };
  if (entry === undefined) return { kind: 'full', reason: 'no earlier read' };
  if (entry.until <= now) return { kind: 'full', reason: 'cache expired' };
  const cachedKeys = new Set(entry.targets.map(targetKey));
  const wantedKeys = new Set(wanted.map(targetKey));
  if (cachedKeys.size !== wantedKeys.size || [...wantedKeys].some((key) => !cachedKeys.has(key)))
    return { kind: 'full', reason: 'targets changed' };
  const ask = entry.targets.filter((target) => target.state !== 'healthy');
  if (ask.length === 0) return { kind: 'cached', targets: entry.targets };
  return { kind: 'partial', ask: ask.map(({ id, port }) => ({ id, port })), cached: entry.targets };
}

/** The cached list with the answers for the asked targets in place of their old health. */
export function mergeHealth(
  cached: readonly ActualTarget[],
  answers: readonly ActualTarget[],
): ActualTarget[] {
  const byKey = new Map(answers.map((answer) => [targetKey(answer), answer]));
  return cached.map((target) => byKey.get(targetKey(target)) ?? target);
}

/** A target asked for by id and port that the group does not hold: the group changed under the cache. */
const NOT_REGISTERED = 'Target.NotRegistered';

/**
 * Drops the group's cached read. A pass calls it before it registers or deregisters: a cache
 * filled before those writes would otherwise tell the next pass that a target it just
 * deregistered is gone already, or one it registered is still missing, when the pass's wanted
 * set matches the stale list. (Another Lambda container's writes are not seen: its cache ages
 * out within HEALTH_CACHE_MS, and a resync's Reconcile Requested forces a full read.)
 */
export function forgetTargetHealth(
  deps: { targetHealthCache?: TargetHealthCache },
  targetGroupArn: string,
): void {
  deps.targetHealthCache?.delete(targetGroupArn);
}

export async function readTargetHealth(
  deps: Pick<TargetsDeps, 'elbv2' | 'now'> & { targetHealthCache?: TargetHealthCache },
  targetGroupArn: string,
  wanted: readonly { id: string; port: number }[],
  cause: Pick<Cause, 'detailType'>,
): Promise<ActualTarget[]> {
  const cache = deps.targetHealthCache;
  const full = async () => {
    const targets = await deps.elbv2.describeTargets(targetGroupArn);
    cache?.set(targetGroupArn, { targets, until: deps.now() + HEALTH_CACHE_MS });
    return targets;
  };
  if (cache === undefined) return full();
  const plan = planHealthRead(
    cache.get(targetGroupArn),
    wanted,
    deps.now(),
    cause.detailType === DETAIL_TYPES.ReconcileRequested,
  );
  if (plan.kind === 'full') return full();
  if (plan.kind === 'cached') return plan.targets;
  const answers = await deps.elbv2.describeTargets(targetGroupArn, plan.ask);
  const asked = new Set(plan.ask.map(targetKey));
  const answered = answers.filter((answer) => asked.has(targetKey(answer)));
  if (answered.length !== plan.ask.length || answered.some((answer) => answer.reason === NOT_REGISTERED))
    return full();
  const targets = mergeHealth(plan.cached, answered);
  const entry = cache.get(targetGroupArn);
  // a partial read refreshes health, not the cache's age: the full read stays due on time
  cache.set(targetGroupArn, { targets, until: entry?.until ?? deps.now() + HEALTH_CACHE_MS });
  return targets;
}
