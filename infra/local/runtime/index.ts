/**
 * `startLocalSystem`: slbc end to end with nothing but this process. See docs/local-runtime.md.
 *
 *   simulated cluster --audit payloads--> ingest --PutEvents--> bus --rules--> targets / stacks
 *          ^    \--nodes--> EC2            resync <--schedule (scaled)--/          |
 *          |                                                                        v
 *          +---- Kubernetes API (STS token) <--- status writes, resync lists --- ELBv2 (health probe -> cluster)
 */
import './silence.js';
import { randomUUID } from 'node:crypto';
import { SQSClient } from '@aws-sdk/client-sqs';
import { clientConfig } from '../../../shared/aws/client-config.js';
import { createEc2Stacks } from '../../../shared/aws/ec2-stacks.js';
import { eksClusters } from '../../../shared/aws/eks-cluster.js';
import { createElbv2Stacks } from '../../../shared/aws/elbv2-stacks.js';
import { createEventPublisher, eventBridgeSender } from '../../../shared/aws/event-publisher.js';
import { replayArchive } from '../../../shared/aws/eventbridge-replay.js';
import { createLoadBalancerAddons } from '../../../shared/aws/lb-addons.js';
import { loadConfig } from '../../../shared/config.js';
import { eksKubeApi } from '../../../shared/kube/eks-kube-api.js';
import { logger, metrics as sharedMetrics } from '../../../shared/observability.js';
import { kubeClassParamsSource } from '../../../shared/reconcile/stacks/class-params-source.js';
import { kubeSecretSource } from '../../../shared/reconcile/stacks/oidc-secrets.js';
import type { StacksDeps } from '../../../shared/reconcile/stacks/ports.js';
import { ensureTable, openState, type State } from '../../../shared/state/index.js';
import { readWiring } from '../../deploy/wiring.js';
import { seededRandom } from '../aws/faults.js';
import { defaultTopology, scaledClock, startLocalAws, type Topology } from '../aws/index.js';
import { createCluster, serveKubernetesApi, stsTokenVerifier } from '../cluster/index.js';
import { createBus, functionArns } from './bus.js';
import { createRuntimeClients } from './clients.js';
import { stackDifferences, targetDifferences } from './convergence.js';
import { buildFunctions } from './functions.js';
import { AsyncInvoker } from './invoker.js';
import { putEventsFacts, ReadyLatency } from './latency.js';
import { createLocalQueues } from './sqs-wiring.js';
import type { ConvergenceReport, LocalSystem, LocalSystemOptions, SystemCounters } from './system.js';
import { buildTopology } from './topology.js';

export { replayArchive } from '../../../shared/aws/eventbridge-replay.js';
export type * from './system.js';

export const DEFAULT_TIME_SCALE = 20;
const MUTATION = /^(Create|Delete|Modify|Register|Deregister|Set|Add|Remove)/;

function topologyFor(clusterName: string): Topology {
  const topology = defaultTopology();
  if (!topology.clusters.some((cluster) => cluster.name === clusterName))
    topology.clusters.push({ name: clusterName, endpoint: '', certificateAuthority: '', version: '1.31' });
  return topology;
}

export async function startLocalSystem(options: LocalSystemOptions = {}): Promise<LocalSystem> {
  const clusterName = options.clusterName ?? 'demo';
  const scale = options.timeScale ?? DEFAULT_TIME_SCALE;
  const seed = options.seed ?? 1;
  const chaos = options.chaos ?? {};
  const listeners = new Set<(line: string) => void>();
  const log = (line: string) => {
    for (const listener of listeners) listener(line);
  };
  // the SDK needs credentials to sign; the local endpoint does not check them
  process.env['AWS_ACCESS_KEY_ID'] ??= 'local';
  process.env['AWS_SECRET_ACCESS_KEY'] ??= 'local';
  if (options.quiet === false) logger.setLogLevel('INFO');
  else {
    // nothing collects EMF locally; Powertools would print a warning per invocation without metrics
    sharedMetrics.publishStoredMetrics = () => {
      sharedMetrics.clearMetrics();
      return sharedMetrics;
    };
  }

  const clock = scaledClock(scale);
  const wiring = readWiring({ stage: options.stage ?? 'local', params: { clusters: clusterName } });
  const aws = await startLocalAws({
    port: options.port ?? 0,
    topology: topologyFor(clusterName),
    clock,
    faultSeed: seed,
    eventBridge: { seed },
  });
  if ((chaos.throttle ?? 0) > 0) aws.faults.add({ match: 'elbv2:*', throttleRate: chaos.throttle ?? 0 });
  const arns = functionArns(wiring, aws.region, aws.topology.account);
  const latency = new ReadyLatency(clock);
  const clients = createRuntimeClients({
    endpoint: aws.url,
    region: aws.region,
    onRegisterTargets: (arn, targets) => latency.registered(targets, arn),
    onPutEvents: (entries) => latency.published(putEventsFacts(entries)),
  });
  await ensureTable(clients.dynamodb, wiring.tableName);
  await createBus(clients.events, wiring, arns);

  const invoker = new AsyncInvoker({
    clock,
    crashRate: chaos.crash ?? 0,
    random: seededRandom(seed + 1),
    onLog: log,
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
  });
  // serverless.yml's queues, and the SQS client the targets function sends its re-checks with
  const queues = createLocalQueues(wiring, aws);
  const sqs = new SQSClient(clientConfig({ endpoint: aws.url, region: aws.region }));
  const recheckQueueUrl = queues.urls['TargetsRecheckQueue'];
  const handlers = buildFunctions({
    wiring,
    clients,
    clock,
    nameOf: arns.nameOf,
    arnOf: arns.arnOf,
    timeScale: scale,
    ...(recheckQueueUrl === undefined ? {} : { recheck: { sqs, queueUrl: recheckQueueUrl } }),
  });
  for (const [fn, handler] of Object.entries(handlers)) {
    const settings = wiring.functions[fn];
    if (!settings) throw new Error(`serverless.yml has no function ${fn}`);
    invoker.register(fn, handler, {
      maximumRetryAttempts: settings.maximumRetryAttempts ?? 2,
      maximumEventAgeSeconds: settings.maximumEventAgeSeconds ?? 21_600,
    });
    // EventBridge hands the event to Lambda's async queue: that hand-off succeeds at once
    aws.services.events.registerLambda(arns.nameOf(fn), (event) => invoker.enqueue(fn, event));
  }

  const cluster = createCluster({
    name: clusterName,
    clock,
    topology: aws.topology,
    nodes: options.nodes ?? 3,
    seed,
    ec2: {
      addInstance: (instance) => aws.services.ec2.addInstance(instance),
      removeInstance: (id) => aws.services.ec2.removeInstance(id),
    },
    audit: {
      deliveryDelayMs: options.deliveryDelayMs ?? 1000,
      chaos: { duplicate: chaos.duplicate ?? 0, reorder: chaos.reorder ?? 0, drop: chaos.drop ?? 0 },
    },
    // the CloudWatch Logs subscription invokes ingest asynchronously
    onSubscriptionPayload: (event) => invoker.enqueue('ingest', event),
  });
  latency.attach(cluster);
  // Lambda's event source mappings invoke synchronously: the handler's answer (batchItemFailures) matters
  queues.start(
    (fn, event) => {
      const handler = handlers[fn];
      if (handler === undefined)
        throw new Error(`serverless.yml maps a queue to ${fn}, which is not a function`);
      invoker.invocations[fn] = (invoker.invocations[fn] ?? 0) + 1;
      return handler(event);
    },
    (error) => log(`re-check batch failed: ${error instanceof Error ? error.message : String(error)}`),
  );
  // the functions sign EKS tokens on the scaled clock, so they are checked on it too; the
  // kubeconfig gets a fixed local credential (`aws eks get-token` signs on the wall clock)
  const kubernetesToken = `local-${randomUUID()}`;
  const api = await serveKubernetesApi(cluster, {
    port: 0,
    verifyToken: stsTokenVerifier({ stsEndpointUrl: aws.url, clusterName, now: () => clock.now() }),
    localAccess: { token: kubernetesToken, arn: `arn:aws:iam::${aws.topology.account}:user/local-admin` },
  });
  aws.services.eks.setClusterEndpoint(clusterName, api.url);
  aws.services.elbv2.setHealthProbe((group, target) => {
    const configured = group.healthCheck.port;
    const port = configured === 'traffic-port' ? (target.port ?? group.port ?? 0) : Number(configured);
    return group.targetType === 'instance'
      ? cluster.isInstanceServing(target.id, port)
      : cluster.isServing(target.id, port);
  });

  const state: State = openState(clients.dynamodb, wiring.tableName, { now: () => clock.now() });
  const stacksConfig = loadConfig(wiring.functions['stacks']?.environment ?? {});
  const dryRunDeps: StacksDeps = {
    state,
    elbv2: createElbv2Stacks(clients.elbv2),
    ec2: createEc2Stacks(clients.ec2),
    // the dry run reads what the pass reads, or an OIDC or WAF stack would never look converged
    addons: createLoadBalancerAddons({ wafv2: clients.wafv2, shield: clients.shield }),
    secrets: kubeSecretSource(eksKubeApi(clients.eks, { now: () => clock.now() })),
    classParams: kubeClassParamsSource(eksKubeApi(clients.eks, { now: () => clock.now() })),
    publisher: createEventPublisher({
      sender: eventBridgeSender(() => clients.events),
      busName: wiring.busName,
    }),
    clusterVpc: eksClusters(clients.eks).vpcId,
    config: stacksConfig,
    planOnly: true,
    now: () => clock.now(),
    newOwner: randomUUID,
    logger,
    metrics: { addMetric() {} } as unknown as StacksDeps['metrics'],
  };

  const busyNow = () =>
    aws.services.events.pending() > 0 || invoker.inFlight > 0 || queues.pending() || !cluster.settled();
  const idleNow = async () => !busyNow() && (await state.queue.listDirty()).length === 0;

  const system: LocalSystem = {
    aws,
    cluster,
    wiring,
    clusterName,
    kubernetesUrl: api.url,
    kubernetesToken,
    kubeEvents: () => api.events.records(),
    env: {
      AWS_ENDPOINT_URL: aws.url,
      AWS_REGION: aws.region,
      AWS_DEFAULT_REGION: aws.region,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      SLBC_TABLE_NAME: wiring.tableName,
      SLBC_BUS_NAME: wiring.busName,
    },
    apply: (manifests) => cluster.apply(manifests),
    async settle({ timeoutMs = 30_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      let quiet = 0;
      // idle twice in a row: a hand-off between two queues is not mistaken for the end
      while (Date.now() <= deadline) {
        if (await idleNow()) {
          if (++quiet >= 2) return true;
        } else quiet = 0;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return false;
    },
    async convergence(): Promise<ConvergenceReport> {
      const settled = await idleNow();
      const differences = [
        ...(await targetDifferences(cluster, state, aws.services.elbv2)),
        ...(await stackDifferences(cluster, dryRunDeps)),
      ];
      return {
        converged: settled && differences.length === 0,
        settled,
        differences: settled ? differences : ['work is still in flight', ...differences],
        checked: ['targets', 'stacks'],
      };
    },
    async converged() {
      return (await system.convergence()).converged;
    },
    resync: () => invoker.invoke('resync', { clusters: [clusterName] }),
    deliverSubscription: (event) => invoker.enqueue('ingest', event),
    async replay({ from, to } = {}) {
      const outcome = await replayArchive(clients.events, {
        busName: wiring.busName,
        archiveName: wiring.archive.name,
        from: from ?? new Date(0),
        to: to ?? new Date(clock.now() + 1000),
      });
      return { name: outcome.name, state: outcome.state };
    },
    async counters(): Promise<SystemCounters> {
      const audit = cluster.snapshot().audit;
      const bus = aws.services.events.counters();
      const endpoint = aws.counters.snapshot();
      const elbv2: Record<string, number> = {};
      let elbv2Mutations = 0;
      for (const [key, count] of Object.entries(endpoint.byAction)) {
        if (!key.startsWith('elbv2:')) continue;
        const action = key.slice('elbv2:'.length);
        elbv2[action] = count;
        if (MUTATION.test(action)) elbv2Mutations += count;
      }
      return {
        audit: {
          written: audit.linesWritten,
          delivered: audit.linesDelivered,
          dropped: audit.linesDropped,
          duplicated: audit.linesDuplicated,
        },
        bus: {
          events: bus.eventsPut,
          deliveries: bus.ruleMatches,
          deadLetters: aws.services.events.deadLetters().length,
        },
        invocations: { ...invoker.invocations },
        crashes: invoker.crashes,
        failedInvocations: invoker.failed().length,
        elbv2,
        elbv2Mutations,
        dynamodb: { ...clients.capacity, byAction: { ...clients.capacity.byAction } },
        readyToRegisteredMs: latency.samples(),
        publishedToRegisteredMs: latency.processingSamples(),
        endpoint,
      };
    },
    topology: async () => buildTopology(aws.services.elbv2, cluster),
    deadLetters: () => aws.services.events.deadLetters(),
    failedInvocations: () => invoker.failed(),
    onLog(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      // Sources first (audit log, bus deliveries and schedules), then the invocations already
      // running are awaited while the endpoint still answers them; only then is it torn down.
      // Stopping AWS under a running invocation closed DynamoDB's store mid-write ("Database is
      // closed", issue 14).
      cluster.stop();
      aws.services.events.stop();
      await queues.stop();
      await invoker.stop();
      await api.stop();
      for (const client of [clients.elbv2, clients.ec2, clients.eks, clients.events, clients.dynamodb, sqs])
        client.destroy();
      await aws.stop();
    },
  };
  return system;
}
