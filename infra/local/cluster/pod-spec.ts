/**
 * What a pod's spec says about readiness and termination, as the kubelet reads it: readiness
 * gates (Ready only once every gate's condition is True in status.conditions), the preStop
 * sleep (an exec of `sleep N`, or the `sleep: {seconds}` handler) and the grace period that
 * bounds it. Pure functions of the pod.
 */
import type { Pod, PodCondition, PodStatus } from './objects.js';

interface LifecycleHandler {
  exec?: { command?: string[] };
  sleep?: { seconds?: number };
}

/** the condition types of spec.readinessGates, in spec order */
export function readinessGateTypes(pod: Pod): string[] {
  const gates = (pod.spec.readinessGates ?? []) as { conditionType?: string }[];
  return gates.flatMap((gate) => (gate.conditionType ? [gate.conditionType] : []));
}

/**
 * Gate conditions that are not True yet; the message is the kubelet's for Ready=False with
 * reason ReadinessGatesNotReady.
 */
export function pendingGates(pod: Pod, status: PodStatus = pod.status): { types: string[]; message: string } {
  const byType = new Map((status.conditions ?? []).map((c) => [c.type, c]));
  const types = readinessGateTypes(pod).filter((type) => byType.get(type)?.status !== 'True');
  const first = types[0];
  const message =
    first === undefined
      ? ''
      : byType.has(first)
        ? `the status of pod readiness gate "${first}" is not "True", but ${byType.get(first)?.status}`
        : `corresponding condition of pod readiness gate "${first}" does not exist.`;
  return { types, message };
}

/** Ready as the kubelet computes it: containers ready and every readiness gate True. */
export function readyCondition(
  pod: Pod,
  status: PodStatus,
  containersReady: boolean,
  time: string,
  containersMessage: string,
): PodCondition {
  const base = { type: 'Ready', lastProbeTime: null, lastTransitionTime: time } as const;
  if (!containersReady)
    return { ...base, status: 'False', reason: 'ContainersNotReady', message: containersMessage };
  const pending = pendingGates(pod, status);
  if (pending.types.length > 0)
    return { ...base, status: 'False', reason: 'ReadinessGatesNotReady', message: pending.message };
  return { ...base, status: 'True' };
}

/** `sleep N`, `/bin/sleep N`, `sh -c "sleep N"` → N seconds; anything else runs no time */
function execSleepSeconds(command: string[] | undefined): number {
  if (!command || command.length === 0) return 0;
  const words =
    command.length >= 3 && /(^|\/)(ba)?sh$/.test(command[0] ?? '') && command[1] === '-c'
      ? (command[2] ?? '').trim().split(/\s+/)
      : command;
  if (!/(^|\/)sleep$/.test(words[0] ?? '')) return 0;
  const seconds = Number(words[1]);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
}

/** The longest preStop sleep of the pod's containers (the kubelet runs them in parallel), in seconds. */
export function preStopSeconds(pod: Pod): number {
  let longest = 0;
  for (const container of pod.spec.containers) {
    const handler = (container as { lifecycle?: { preStop?: LifecycleHandler } }).lifecycle?.preStop;
    if (!handler) continue;
    const seconds = handler.sleep?.seconds ?? execSleepSeconds(handler.exec?.command);
    longest = Math.max(longest, seconds);
  }
  return longest;
}

/**
 * The termination of a pod deleted with `graceSeconds`: the preStop hook runs first (the pod
 * still serves), then SIGTERM (it stops answering), then the containers exit after
 * `terminateMs`; the whole is bounded by the grace period, after which the kubelet kills.
 */
export function terminationPlan(
  pod: Pod,
  graceSeconds: number,
  terminateMs: number,
): { preStopMs: number; exitMs: number } {
  const graceMs = graceSeconds * 1000;
  const preStopMs = Math.min(preStopSeconds(pod) * 1000, graceMs);
  const exitMs = Math.min(preStopMs + terminateMs, graceMs);
  return { preStopMs, exitMs };
}
