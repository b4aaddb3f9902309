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
  | { kind: 'wipe' };

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
  steps: ScenarioStep[];
}

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
];

export const NO_CHAOS: Readonly<ScenarioChaos> = Object.freeze({
  duplicate: 0,
  reorder: false,
  drop: 0,
  throttle: 0,
  crash: 0,
});
