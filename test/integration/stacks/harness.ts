import {
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { type LocalAws, startLocalAws, virtualClock } from '../../../infra/local/aws/index.js';
import { createClients } from '../../../shared/aws/clients.js';
import { createEc2Stacks } from '../../../shared/aws/ec2-stacks.js';
import { createElbv2Stacks } from '../../../shared/aws/elbv2-stacks.js';
import { createEventPublisher } from '../../../shared/aws/event-publisher.js';
import { isRetryable } from '../../../shared/errors.js';
import type { BusEvent } from '../../../shared/events/contract.js';
import type { StacksDeps } from '../../../shared/reconcile/stacks/ports.js';
import { processEvent, type StacksSummary } from '../../../shared/reconcile/stacks/process.js';
import { ensureTable, openState } from '../../../shared/state/index.js';

/**
 * The stacks function wired to an in-process local AWS endpoint (ELBv2, EC2, DynamoDB through
 * the real SDK clients). `afterEachCall` runs after every ELBv2 and EC2 call slbc makes: the
 * no-404 tests probe routing there.
 */
export const CLUSTER = 'demo';

export interface Harness {
  aws: LocalAws;
  /** moves the endpoint's virtual clock (health checks settle) */
  advance(ms: number): void;
  deps: StacksDeps;
  /** Target Group Bound events published */
  published: PutEventsRequestEntry[];
  afterEachCall: { hook?: (action: string) => Promise<void> | void };
  /** an ELBv2 client without the hook (for the test's own calls) */
  elbv2: ElasticLoadBalancingV2Client;
  deliver(event: BusEvent): Promise<StacksSummary>;
  /** registers one target in every target group that has none (what the targets function would do) */
  registerTargets(): Promise<void>;
  stop(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  process.env['AWS_ACCESS_KEY_ID'] ??= 'test';
  process.env['AWS_SECRET_ACCESS_KEY'] ??= 'test';
  const clock = virtualClock(Date.now());
  const aws = await startLocalAws({ port: 0, clock });
  const clients = createClients({ endpoint: aws.url, region: aws.region, maxAttempts: 4 });
  const plain = new ElasticLoadBalancingV2Client({
    endpoint: aws.url,
    region: aws.region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const afterEachCall: Harness['afterEachCall'] = {};
  for (const client of [clients.elbv2, clients.ec2] as const) {
    (client.middlewareStack as ElasticLoadBalancingV2Client['middlewareStack']).add(
      (next, context) => async (args) => {
        const result = await next(args);
        await afterEachCall.hook?.(String((context as { commandName?: string }).commandName));
        return result;
      },
      { step: 'initialize', name: 'probeAfterEachCall' },
    );
  }
  const tableName = 'slbc-stacks-test';
  await ensureTable(clients.dynamodb, tableName);
  const published: PutEventsRequestEntry[] = [];
  let owners = 0;
  const silent = {
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
    debug: () => undefined,
  };
  const deps: StacksDeps = {
    state: openState(clients.dynamodb, tableName),
    elbv2: createElbv2Stacks(clients.elbv2),
    ec2: createEc2Stacks(clients.ec2),
    publisher: createEventPublisher({
      busName: 'slbc-test',
      sender: {
        async putEvents(entries) {
          published.push(...entries);
          return {
            FailedEntryCount: 0,
            Entries: entries.map((_, i) => ({ EventId: `e-${published.length}-${i}` })),
          };
        },
      },
    }),
    clusterVpc: async () => aws.topology.vpc.id,
    config: {
      clusters: [CLUSTER],
      leaseSeconds: 60,
      ingressClass: 'alb',
      defaultTargetType: 'ip',
      defaultScheme: 'internal',
      serviceClaim: 'all',
      groupNamespaces: 'same',
      defaultTags: {},
      clusterSettings: {},
    },
    now: Date.now,
    newOwner: () => `invocation-${++owners}`,
    logger: silent,
    metrics: { addMetric: () => undefined } as unknown as StacksDeps['metrics'],
  };
  const harness: Harness = {
    aws,
    advance: (ms) => clock.advance(ms),
    deps,
    published,
    afterEachCall,
    elbv2: plain,
    async deliver(event) {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await processEvent(deps, event);
        } catch (error) {
          if (!isRetryable(error) || attempt >= 10) throw error;
        }
      }
    },
    async registerTargets() {
      const dump = aws.services.elbv2.dump() as { targetGroups: { arn?: string; TargetGroupArn?: string }[] };
      for (const group of dump.targetGroups) {
        const arn = group.arn ?? group.TargetGroupArn ?? '';
        const health = await plain.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
        if ((health.TargetHealthDescriptions ?? []).length > 0) continue;
        await plain.send(
          new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: [{ Id: '10.0.16.10', Port: 8080 }] }),
        );
      }
    },
    async stop() {
      clients.dynamodb.destroy();
      clients.elbv2.destroy();
      clients.ec2.destroy();
      plain.destroy();
      await aws.stop();
    },
  };
  return harness;
}

let seq = 0;
/** A cluster change event as functions/ingest emits it. */
export function changeEvent(
  kind: 'Ingress' | 'Service' | 'IngressClass',
  object: { metadata: { name: string; namespace?: string } } & Record<string, unknown>,
  verb: 'create' | 'update' | 'delete' = 'update',
): BusEvent {
  seq += 1;
  const resourceVersion = String(1000 + seq);
  const withVersion = {
    ...object,
    metadata: { ...object.metadata, uid: `uid-${kind}-${object.metadata.name}`, resourceVersion },
  };
  return {
    version: '0',
    id: `event-${seq}`,
    'detail-type': `${kind} Changed`,
    source: 'slbc.cluster',
    account: '000000000000',
    time: new Date().toISOString(),
    region: 'eu-west-1',
    resources: [],
    detail: {
      version: 1,
      cluster: CLUSTER,
      kind,
      ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
      name: object.metadata.name,
      uid: `uid-${kind}-${object.metadata.name}`,
      resourceVersion,
      verb,
      observedAt: new Date(Date.now() + seq).toISOString(),
      auditId: `audit-${seq}`,
      logEventId: `log-${seq}`,
      ...(verb === 'delete' ? {} : { object: withVersion }),
    },
  };
}
