/**
 * A scenario after validation: every step checked, every referenced file read and parsed, so
 * running it touches the filesystem no more (docs/scenarios.md).
 */
import type { KubeObject } from '../cluster/index.js';
import type { AwsCall } from './aws-call.js';

export interface ScenarioChaos {
  /** chance an audit line is delivered twice */
  duplicate: number;
  /** deliver audit payloads in shuffled order */
  reorder: boolean;
  /** chance an audit line is never delivered (resync must heal) */
  drop: number;
  /** chance an ELBv2 call is answered with Throttling */
  throttle: number;
  /** chance a function invocation dies after its first AWS write */
  crash: number;
}

export type StepAction =
  | { kind: 'apply'; manifests: string; objects: KubeObject[] }
  | { kind: 'scale'; deployment: string; replicas: number }
  | { kind: 'rollout'; deployment: string }
  | { kind: 'kill'; deployment: string; count: number }
  | { kind: 'delete'; objectKind: string; name: string }
  | { kind: 'audit'; file: string; lines: unknown[] }
  | { kind: 'subscription'; file: string; event: unknown }
  | { kind: 'resync' }
  | { kind: 'replay' }
  | { kind: 'settle' }
  | ({ kind: 'aws' } & AwsCall)
  | { kind: 'wipe' }
  /** start a steady flow of requests to `to` (`Ingress ns/name` or `Service ns/name`), or stop all */
  | { kind: 'traffic'; to: string; rps: number }
  | { kind: 'traffic'; stop: true }
  /** let clock time pass (health checks, draining, a preStop) before the next step */
  | { kind: 'pause'; ms: number };

export type StepKind = StepAction['kind'];

export type ScenarioStep = StepAction & {
  index: number;
  /** false: start the next step without settling first */
  wait: boolean;
};

export interface Scenario {
  name: string;
  cluster: string;
  nodes: number;
  chaos: ScenarioChaos;
  /** the audit log's lag, clock ms: each payload waits deliveryDelayMs ± jitterMs */
  audit: ScenarioAudit;
  /** the local ELBv2's realism: provisioning time of a new load balancer, health-check jitter (clock ms) */
  elbv2: ScenarioElbv2;
  steps: ScenarioStep[];
}

export interface ScenarioAudit {
  deliveryDelayMs: number;
  jitterMs: number;
}

export interface ScenarioElbv2 {
  provisioningMs: number;
  healthCheckJitterMs: number;
}

/** a scenario that says nothing: the runtime's fast world (1 s audit lag, load balancers active at once) */
export const FAST_AUDIT: Readonly<ScenarioAudit> = Object.freeze({ deliveryDelayMs: 1000, jitterMs: 0 });
export const FAST_ELBV2: Readonly<ScenarioElbv2> = Object.freeze({
  provisioningMs: 0,
  healthCheckJitterMs: 0,
});

/** what EKS and ELBv2 look like from outside: audit lines 30-90 s late, load balancers active after 2 min */
export const REALISTIC_AUDIT: Readonly<ScenarioAudit> = Object.freeze({
  deliveryDelayMs: 60_000,
  jitterMs: 30_000,
});
export const REALISTIC_ELBV2: Readonly<ScenarioElbv2> = Object.freeze({
  provisioningMs: 120_000,
  healthCheckJitterMs: 5_000,
});

export const STEP_KINDS: readonly StepKind[] = [
  'apply',
  'scale',
  'rollout',
  'kill',
  'delete',
  'audit',
  'subscription',
  'resync',
  'replay',
  'settle',
  'aws',
  'wipe',
  'traffic',
  'pause',
];

export const NO_CHAOS: Readonly<ScenarioChaos> = Object.freeze({
  duplicate: 0,
  reorder: false,
  drop: 0,
  throttle: 0,
  crash: 0,
});
