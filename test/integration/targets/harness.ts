import {
  CreateTargetGroupCommand,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { type LocalAws, startLocalAws } from '../../../infra/local/aws/index.js';
import { createClients } from '../../../shared/aws/clients.js';
import { createElbv2Targets, type Elbv2Targets } from '../../../shared/aws/elbv2-targets.js';
import { isRetryable } from '../../../shared/errors.js';
import type { BusEvent } from '../../../shared/events/contract.js';
import { TAG_KEYS } from '../../../shared/model/tags.js';
import type { TargetsDeps } from '../../../shared/reconcile/targets/ports.js';
import { processEvent, type TargetsSummary } from '../../../shared/reconcile/targets/process.js';
import { type Binding, ensureTable, openState } from '../../../shared/state/index.js';
import { CLUSTER, NAMESPACE, SERVICE } from './scenario.js';

/**
 * The targets function wired to an in-process local AWS endpoint (ELBv2, EC2 and DynamoDB
 * through the real SDK clients), with a clock that tests can move forward (lease expiry) and
 * a metrics collector.
 */
export interface Harness {
  aws: LocalAws;
  deps: TargetsDeps;
  metrics: Map<string, number>;
  /** moves slbc's clock (leases, TTLs); the endpoint's own clock is untouched */
  advance(ms: number): void;
  createTargetGroup(
    name: string,
    options?: { clusterTag?: string; targetType?: 'ip' | 'instance' },
  ): Promise<string>;
  bind(targetGroupArn: string, port: string | number, createdBySlbc: boolean): Promise<Binding>;
  /** targets of the group that are not draining, as `ip:port`, sorted */
  targets(targetGroupArn: string): Promise<string[]>;
  /** delivers one event, retrying retryable failures as Lambda's async retries and resync would */
  deliver(event: BusEvent, deps?: TargetsDeps): Promise<TargetsSummary>;
  stop(): Promise<void>;
}

export async function startHarness(
  options: { leaseSeconds?: number; maxAttempts?: number; settleMs?: number } = {},
): Promise<Harness> {
  process.env['AWS_ACCESS_KEY_ID'] ??= 'test';
  process.env['AWS_SECRET_ACCESS_KEY'] ??= 'test';
  const aws = await startLocalAws({ port: 0 });
  const clients = createClients({
    endpoint: aws.url,
    region: aws.region,
    maxAttempts: options.maxAttempts ?? 6,
  });
  const tableName = 'slbc-targets-test';
  await ensureTable(clients.dynamodb, tableName);
  let offset = 0;
  const now = () => Date.now() + offset;
  const metrics = new Map<string, number>();
  const elbv2: Elbv2Targets = createElbv2Targets(clients);
  const silent = {
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
    debug: () => undefined,
  };
  let owners = 0;
  const deps: TargetsDeps = {
    state: openState(clients.dynamodb, tableName, { now }),
    elbv2,
    config: { clusters: [CLUSTER], leaseSeconds: options.leaseSeconds ?? 30 },
    now,
    newOwner: () => `invocation-${++owners}`,
    settleMs: options.settleMs ?? 0,
    quietMs: 500,
    logger: silent,
    metrics: {
      addMetric: (name: string, _unit: unknown, value: number) => {
        metrics.set(name, (metrics.get(name) ?? 0) + value);
      },
    } as unknown as TargetsDeps['metrics'],
    targetGroupCache: new Map(),
  };
  return {
    aws,
    deps,
    metrics,
    advance: (ms) => {
      offset += ms;
    },
    createTargetGroup: (name, tgOptions) =>
      createTargetGroup(clients.elbv2, aws.topology.vpc.id, name, tgOptions),
    async bind(targetGroupArn, port, createdBySlbc) {
      const binding = serviceBinding(targetGroupArn, port, createdBySlbc);
      await deps.state.bindings.put(binding);
      return binding;
    },
    async targets(targetGroupArn) {
      const all = await elbv2.describeTargets(targetGroupArn);
      return all
        .filter((t) => t.state !== 'draining' && t.state !== 'unhealthy.draining')
        .map((t) => `${t.id}:${t.port}`)
        .sort();
    },
    async deliver(event, override) {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await processEvent(override ?? deps, event);
        } catch (error) {
          if (!isRetryable(error) || attempt >= 30) throw error;
        }
      }
    },
    async stop() {
      clients.dynamodb.destroy();
      clients.elbv2.destroy();
      clients.ec2.destroy();
      await aws.stop();
    },
  };
}

/** An HTTP target group on port 80 in the endpoint's VPC, optionally tagged with a cluster. */
export async function createTargetGroup(
  elbv2: ElasticLoadBalancingV2Client,
  vpcId: string,
  name: string,
  options: { clusterTag?: string; targetType?: 'ip' | 'instance' } = {},
): Promise<string> {
  const created = await elbv2.send(
    new CreateTargetGroupCommand({
      Name: name,
      Protocol: 'HTTP',
      Port: 80,
      VpcId: vpcId,
      TargetType: options.targetType ?? 'ip',
      ...(options.clusterTag === undefined
        ? {}
        : { Tags: [{ Key: TAG_KEYS.cluster, Value: options.clusterTag }] }),
    }),
  );
  return created.TargetGroups?.[0]?.TargetGroupArn ?? '';
}

/** The binding stacks writes for the scenario's Service (IP targets) to a target group. */
export function serviceBinding(
  targetGroupArn: string,
  port: string | number,
  createdBySlbc: boolean,
): Binding {
  return {
    cluster: CLUSTER,
    targetGroupArn,
    stackKey: `service/${NAMESPACE}/${SERVICE}`,
    service: { namespace: NAMESPACE, name: SERVICE, port },
    targetType: 'ip',
    createdBySlbc,
    updatedAt: new Date().toISOString(),
  };
}

/** A TargetGroupBound event as the stacks function emits it. */
/** What resync sends for a key left dirty by a crashed holder. */
export function reconcileRequestEvent(cluster: string, key: string): BusEvent {
  return {
    version: '0',
    id: `reconcile-${key}`,
    'detail-type': 'Reconcile Requested',
    source: 'slbc.internal',
    account: '000000000000',
    time: new Date().toISOString(),
    region: 'eu-west-1',
    resources: [],
    detail: { version: 1, cluster, key, reason: 'lease-expired', observedAt: new Date().toISOString() },
  };
}
