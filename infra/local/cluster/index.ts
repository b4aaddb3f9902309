/**
 * The simulated EKS cluster: see docs/local-cluster.md. Everything a runner needs is exported
 * here; the files behind it are the simulator's own business.
 */

export { EventStore, type KubeEventRecord } from './api/events.js';
export {
  type KubernetesApiOptions,
  type KubernetesApiServer,
  localPath,
  serveKubernetesApi,
} from './api/server.js';
export {
  parseEksToken,
  type StsTokenVerifierOptions,
  stsTokenVerifier,
  type TokenVerdict,
  type TokenVerifier,
} from './api/sts-verifier.js';
export type { Actor } from './audit/actors.js';
export { decodeSubscriptionEvent } from './audit/decode.js';
export type {
  CloudWatchLogEvent,
  SubscriptionLambdaEvent,
  SubscriptionPayload,
  SubscriptionSink,
} from './audit/delivery.js';
export type { AuditEvent } from './audit/event.js';
export { auditLevel, EKS_AUDIT_POLICY } from './audit/policy.js';
export {
  type AuditOptions,
  type ClusterOptions,
  type ClusterSnapshot,
  createCluster,
  DEFAULT_DELAYS,
  type SimulatedCluster,
} from './cluster.js';
export type { ClusterDelays } from './context.js';
export type { ApplyResult } from './kubectl.js';
export type { AddNodeOptions, Ec2Hook, SimNode } from './nodes.js';
export type { KubeObject } from './objects.js';
export { advanceBy, advanceUntilSettled } from './settle.js';
