/**
 * The whole of slbc running locally, as one value: the local AWS endpoint, the simulated EKS
 * cluster, and the four functions as in-process Lambdas wired exactly as serverless.yml wires
 * them (see docs/local-runtime.md). The scenario runner, the CLI and the tests drive it.
 */

import type { Wiring } from '../../deploy/wiring.js';
import type { TopologyView } from '../../view/topology.js';
import type { DeadLetter } from '../aws/eventbridge/index.js';
import type { CounterSnapshot, LocalAws } from '../aws/index.js';
import type { KubeEventRecord, SimulatedCluster } from '../cluster/index.js';

export interface ChaosOptions {
  /** chance an audit line is delivered twice (0..1) */
  duplicate?: number;
  /** chance an audit payload is held back so later ones overtake it (0..1) */
  reorder?: number;
  /** chance an audit line is never delivered (0..1); only resync heals it */
  drop?: number;
  /** chance an ELBv2 call is answered Throttling (0..1) */
  throttle?: number;
  /** chance a function invocation dies right after its first successful mutating AWS call (0..1) */
  crash?: number;
}

export interface LocalSystemOptions {
  /** the simulated EKS cluster's name (default `demo`) */
  clusterName?: string;
  /** worker nodes created at start (default 3) */
  nodes?: number;
  /**
   * clock speed: clock ms per wall ms (default 20). Health checks (interval 5-30 s, thresholds
   * 2-5), deregistration delays, retries and the resync schedule all run on this clock.
   */
  timeScale?: number;
  /** seed of every random choice (cluster, chaos, delivery); default 1 */
  seed?: number;
  chaos?: ChaosOptions;
  /** local endpoint port: 0 picks a free one (default); 4566 for `slbc local --keep` */
  port?: number;
  /** audit batch closed -> ingest invoked, in clock ms (default 1000) */
  deliveryDelayMs?: number;
  /** no function logs on stdout (default true) */
  quiet?: boolean;
  /** serverless.yml stage whose names (bus, table, archive) are used (default `local`) */
  stage?: string;
  /** invocations running at once across the functions (default 1,000, Lambda's account quota) */
  concurrency?: number;
}

/** One invocation that failed after Lambda's async retries: what the on-failure destination gets. */
export interface FailedInvocation {
  function: string;
  /** clock ms */
  time: number;
  attempts: number;
  error: string;
  /** `MaximumRetryAttempts` or `MaximumEventAgeInSeconds` */
  condition: string;
  event: unknown;
}

export interface SystemCounters {
  /** audit lines written by the cluster, delivered to ingest, dropped by chaos */
  audit: { written: number; delivered: number; dropped: number; duplicated: number };
  /** events put on the bus (PutEvents entries accepted), matched deliveries, DLQ entries */
  bus: { events: number; deliveries: number; deadLetters: number };
  /** invocations (attempts) per function, and failures (after retries) per function */
  invocations: Record<string, number>;
  crashes: number;
  failedInvocations: number;
  /** calls per action on the endpoint, e.g. { RegisterTargets: 3 } */
  elbv2: Record<string, number>;
  /** mutating ELBv2 calls (Create*, Delete*, Modify*, Register*, Deregister*, Add*, Remove*, Set*) */
  elbv2Mutations: number;
  /** DynamoDB capacity units consumed (ReturnConsumedCapacity), by every function */
  dynamodb: { readUnits: number; writeUnits: number; calls: number; byAction: Record<string, number> };
  /** pod Ready (cluster clock) -> target first seen registered, clock ms, one sample per pod IP */
  readyToRegisteredMs: number[];
  /** an Endpoints event listing the IP ready put on the bus -> target first registered, clock ms */
  publishedToRegisteredMs: number[];
  /** the endpoint's raw counters */
  endpoint: CounterSnapshot;
}

export type {
  ListenerView,
  LoadBalancerView,
  ObjectStatusView,
  RuleView,
  TargetGroupView,
  TargetView,
  TopologyView,
} from '../../view/topology.js';

export interface ConvergenceReport {
  converged: boolean;
  settled: boolean;
  /** human-readable reasons it is not converged, naming the binding or stack */
  differences: string[];
  /** what was checked: `targets` always, `stacks` once functions/stacks exports its plan */
  checked: string[];
}

export interface LocalSystem {
  readonly aws: LocalAws;
  readonly cluster: SimulatedCluster;
  readonly wiring: Wiring;
  readonly clusterName: string;
  /** the local Kubernetes API URL (served with the STS token verifier) */
  readonly kubernetesUrl: string;
  /** a bearer token the local Kubernetes API accepts as a cluster admin (for a kubeconfig) */
  readonly kubernetesToken: string;
  /** the Kubernetes Events written through the local API, as the scenario report lists them */
  kubeEvents(): KubeEventRecord[];
  /** environment to export so the AWS CLI / SDK reach the local endpoint */
  readonly env: Record<string, string>;
  /** `kubectl apply` on the simulated cluster */
  apply(manifests: string | object | object[]): ReturnType<SimulatedCluster['apply']>;
  /**
   * runs until nothing is in flight (EventBridge, ingest, Lambda retries), the cluster is idle,
   * and no work-queue key is dirty; true when that happened before the timeout
   */
  settle(options?: { timeoutMs?: number }): Promise<boolean>;
  /** settled AND AWS equals the desired state computed from the cluster's current objects */
  converged(): Promise<boolean>;
  /** the same check with the reasons */
  convergence(): Promise<ConvergenceReport>;
  /** invoke resync now (as the schedule would); resolves when the invocation ends (true: succeeded) */
  resync(): Promise<boolean>;
  /** hand a CloudWatch Logs subscription event (`{ awslogs: { data } }`) to ingest, asynchronously */
  deliverSubscription(event: unknown): void;
  /**
   * StartReplay of the bus archive (whole archive unless told) back onto the bus; resolves with
   * the replay's final state once DescribeReplay says COMPLETED or FAILED
   */
  replay(options?: { from?: Date; to?: Date }): Promise<{ name: string; state: string }>;
  counters(): Promise<SystemCounters>;
  /** load balancers -> listeners -> rules -> target groups -> targets, and object statuses */
  topology(): Promise<TopologyView>;
  /** EventBridge rule-target DLQ entries */
  deadLetters(): DeadLetter[];
  /** invocations that failed after the function's own async retries (on-failure destination) */
  failedInvocations(): FailedInvocation[];
  /** called on each notable change (function failures, crashes); for `--keep` and scenarios */
  onLog(listener: (line: string) => void): () => void;
  stop(): Promise<void>;
}
