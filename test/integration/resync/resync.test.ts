import {
  CreateEventBusCommand,
  type EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { virtualClock } from '../../../infra/local/aws/context.js';
import { type LocalAws, startLocalAws } from '../../../infra/local/aws/index.js';
import {
  advanceUntilSettled,
  createCluster,
  type KubernetesApiServer,
  type SimulatedCluster,
  serveKubernetesApi,
  stsTokenVerifier,
} from '../../../infra/local/cluster/index.js';
import { type AwsClients, createClients } from '../../../shared/aws/clients.js';
import { createEksToken } from '../../../shared/aws/eks-token.js';
import { createEventPublisher, eventBridgeSender } from '../../../shared/aws/event-publisher.js';
import { RetryableError } from '../../../shared/errors.js';
import type {
  BusEvent,
  ClusterChangeDetail,
  ReconcileRequestedDetail,
} from '../../../shared/events/contract.js';
import { eksKubeApi } from '../../../shared/kube/eks-kube-api.js';
import { createKubeApi, type KubeApi } from '../../../shared/kube/kube-api.js';
import { runResync } from '../../../shared/reconcile/resync/pass.js';
import type { ResyncDeps } from '../../../shared/reconcile/resync/ports.js';
import { applyChange, ensureTable, openState, type State } from '../../../shared/state/index.js';
import { TOPOLOGY, webManifests } from '../../unit/cluster/fixtures.js';

/**
 * Resync end to end on the local pieces: the simulated cluster's Kubernetes API behind a real
 * EKS token checked by the local STS, DescribeCluster from the local EKS, the mirror in
 * dynalite and the events on a local bus.
 */
const BUS = 'slbc-resync-it';
const quiet = { info() {}, warn() {}, error() {}, debug() {} };

describe('resync against the simulated cluster and the local AWS endpoint', () => {
  let aws: LocalAws;
  let clients: AwsClients;
  let cluster: SimulatedCluster;
  let api: KubernetesApiServer;
  let state: State;
  let deps: ResyncDeps;
  let received: BusEvent[] = [];
  let tableSeq = 0;

  beforeAll(async () => {
    process.env['AWS_ACCESS_KEY_ID'] ??= 'test';
    process.env['AWS_SECRET_ACCESS_KEY'] ??= 'test';
    aws = await startLocalAws({ topology: TOPOLOGY });
    clients = createClients({ endpoint: aws.url, region: TOPOLOGY.region, maxAttempts: 2 });
    const clock = virtualClock();
    cluster = createCluster({ clock, topology: TOPOLOGY, seed: 7 });
    cluster.apply(webManifests({ replicas: 3 }));
    await advanceUntilSettled(cluster, clock);
    api = await serveKubernetesApi(cluster, {
      port: 0,
      verifyToken: stsTokenVerifier({ stsEndpointUrl: aws.url, clusterName: 'demo' }),
    });
    aws.services.eks.setClusterEndpoint('demo', api.url);
    await subscribe(clients.events, aws);
  });

  afterAll(async () => {
    await api?.stop();
    await aws?.stop();
  });

  beforeEach(async () => {
    // a fresh table per test: each starts from an empty mirror
    const table = `resync-${++tableSeq}`;
    await ensureTable(clients.dynamodb, table);
    state = openState(clients.dynamodb, table);
    received = [];
    deps = {
      state,
      publisher: createEventPublisher({ sender: eventBridgeSender(() => clients.events), busName: BUS }),
      kubeApiFor: eksKubeApi(clients.eks),
      config: { clusters: ['demo'] },
      now: Date.now,
      newRunId: () => `run-${tableSeq}`,
      logger: quiet,
      metrics: { addMetric() {} },
    };
  });

  async function subscribe(events: EventBridgeClient, local: LocalAws): Promise<void> {
    await events.send(new CreateEventBusCommand({ Name: BUS }));
    await events.send(
      new PutRuleCommand({
        Name: 'all',
        EventBusName: BUS,
        EventPattern: JSON.stringify({ source: ['slbc.cluster', 'slbc.internal'] }),
      }),
    );
    const arn = `arn:aws:lambda:${local.region}:${local.topology.account}:function:resync-sink`;
    await events.send(
      new PutTargetsCommand({ Rule: 'all', EventBusName: BUS, Targets: [{ Id: 'sink', Arn: arn }] }),
    );
    local.services.events.registerLambda('resync-sink', async (event) => {
      received.push(event as BusEvent);
    });
  }

  async function changes(): Promise<ClusterChangeDetail[]> {
    await aws.services.events.drain();
    return received
      .filter((event) => event.source === 'slbc.cluster')
      .map((event) => event.detail as ClusterChangeDetail);
  }

  /** What the targets and stacks functions do with a change: write it into the mirror. */
  async function applyToMirror(details: ClusterChangeDetail[]): Promise<void> {
    for (const detail of details) await applyChange(state.mirror, detail);
  }

  it('sends every object an empty mirror lacks, then nothing once the mirror caught up', async () => {
    const report = await runResync(deps, ['demo']);
    const first = await changes();
    const pods = cluster.list('Pod');
    expect(report.clusters[0]?.listed.Pod).toBe(pods.length);
    expect(
      first
        .filter((detail) => detail.kind === 'Pod')
        .map((detail) => detail.name)
        .sort(),
    ).toEqual(pods.map((pod) => pod.metadata.name).sort());
    expect(new Set(first.map((detail) => detail.kind))).toEqual(
      new Set(['Pod', 'Service', 'Endpoints', 'Node']),
    );
    expect(first.every((detail) => detail.verb === 'create' && detail.object !== undefined)).toBe(true);
    const webPod = first.find((detail) => detail.kind === 'Pod');
    expect(webPod?.object).toMatchObject({ status: { podIP: expect.stringMatching(/^10\.0\./) } });

    await applyToMirror(first);
    received = [];
    const second = await runResync(deps, ['demo']);
    expect(await changes()).toEqual([]);
    // the selector index: ready since the first run, kept in step by the mirror's writes since
    expect(second.clusters[0]).toMatchObject({ upserts: 0, deletes: 0, selectorIndexRepaired: 0 });
    const services = cluster.list('Service').filter((service) => service.metadata.namespace === 'default');
    expect(services.length).toBeGreaterThan(0);
    expect((await state.mirror.listServiceSelectors('demo', 'default')).map((s) => s.name).sort()).toEqual(
      services.map((service) => service.metadata.name).sort(),
    );
  });

  it('on the schedule, sends a difference on its second sighting; a run by hand sends it at once', async () => {
    const scheduled = { holdFirstSightings: true };
    const first = await runResync(deps, ['demo'], scheduled);
    const objects = cluster.list('Pod').length;
    // an empty mirror: every object is a first sighting, held, and kept in DynamoDB
    expect(await changes()).toEqual([]);
    expect(first.clusters[0]?.held).toBeGreaterThan(objects);
    expect((await state.resyncSightings.get('demo')).size).toBe(first.clusters[0]?.held);

    // a whole period later nothing arrived: every difference is sent, and kept in case it stays
    const second = await runResync(deps, ['demo'], scheduled);
    const sent = await changes();
    expect(sent.filter((detail) => detail.kind === 'Pod')).toHaveLength(objects);
    expect(second.clusters[0]).toMatchObject({ held: 0, upserts: first.clusters[0]?.held });
    expect((await state.resyncSightings.get('demo')).size).toBe(first.clusters[0]?.held);

    // once the mirror caught up, a scheduled run finds nothing, sends nothing and keeps nothing
    await applyToMirror(sent);
    received = [];
    const third = await runResync(deps, ['demo'], scheduled);
    expect(await changes()).toEqual([]);
    expect(third.clusters[0]).toMatchObject({ held: 0, upserts: 0, deletes: 0 });
    expect((await state.resyncSightings.get('demo')).size).toBe(0);

    // a run by hand holds nothing back
    await ensureTable(clients.dynamodb, `resync-${++tableSeq}`);
    const fresh = { ...deps, state: openState(clients.dynamodb, `resync-${tableSeq}`) };
    received = [];
    const byHand = await runResync(fresh, ['demo']);
    expect(byHand.clusters[0]).toMatchObject({ held: 0, upserts: first.clusters[0]?.held });
  });

  it('sightings that do not fit one item are not kept, and the differences go out at once', async () => {
    const many = new Map(
      Array.from({ length: 40_000 }, (_, i) => [`Pod default/p-${i}-${i * 7919} upsert`, `${i}`]),
    );
    expect(await state.resyncSightings.put('demo', many)).toBe(false);
    expect((await state.resyncSightings.get('demo')).size).toBe(0);
    const few = new Map([['Service default/web upsert', '10']]);
    expect(await state.resyncSightings.put('demo', few)).toBe(true);
    expect(await state.resyncSightings.get('demo')).toEqual(few);
  });

  it('an unreadable sightings item reads as none, and a scheduled run still goes through', async () => {
    await state.store.put({ pk: 'resync#demo', sk: 'sightings', sightings: new Uint8Array([1, 2, 3]) });
    expect((await state.resyncSightings.get('demo')).size).toBe(0);
    const report = await runResync(deps, ['demo'], { holdFirstSightings: true });
    expect(report.clusters[0]?.held).toBeGreaterThan(0);
    expect((await state.resyncSightings.get('demo')).size).toBe(report.clusters[0]?.held);
  });

  it('tombstones what a complete list no longer holds, and nothing when a list fails', async () => {
    await runResync(deps, ['demo']);
    await applyToMirror(await changes());
    received = [];
    const ghost = {
      kind: 'Service',
      metadata: { name: 'ghost', namespace: 'default', uid: 'uid-ghost', resourceVersion: '1' },
      spec: { type: 'ClusterIP', ports: [{ port: 80 }] },
    };
    await state.mirror.upsertObject('demo', 'Service', ghost as never, {
      observedAt: '2026-01-01T00:00:00Z',
      auditId: 'a',
    });

    // Services cannot be listed: nothing of theirs changes, and the pass asks to be retried.
    const real = deps.kubeApiFor;
    deps.kubeApiFor = async (name) => failing(await real(name), 'Service');
    await expect(runResync(deps, ['demo'])).rejects.toBeInstanceOf(RetryableError);
    expect((await changes()).filter((detail) => detail.kind === 'Service')).toEqual([]);

    deps.kubeApiFor = real;
    received = [];
    await runResync(deps, ['demo']);
    const deletes = (await changes()).filter((detail) => detail.verb === 'delete');
    expect(deletes.map((detail) => `${detail.kind}/${detail.name}`)).toEqual(['Service/ghost']);
  });

  it('asks for a reconcile of dirty keys nobody holds, only for served clusters', async () => {
    await state.queue.bump('stack#demo#service/default/web');
    await state.queue.bump('stack#elsewhere#ingress/shop');
    await state.bindings.put({
      cluster: 'demo',
      targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/k8s-web/1',
      stackKey: 'service/default/web',
      service: { namespace: 'default', name: 'web', port: 80 },
      targetType: 'ip',
      createdBySlbc: true,
      updatedAt: new Date().toISOString(),
    });
    await state.queue.bump('tg#arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/k8s-web/1');
    // held by a live invocation: it will see the bump itself
    await state.queue.bump('stack#demo#ingress/busy');
    expect(await state.queue.tryLease('stack#demo#ingress/busy', 'someone', 60)).toBeTruthy();

    const report = await runResync(deps, ['demo']);
    expect(report.reconcileRequests.map((request) => request.key).sort()).toEqual([
      'stack#demo#service/default/web',
      'tg#arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/k8s-web/1',
    ]);
    await aws.services.events.drain();
    const requested = received
      .filter((event) => event['detail-type'] === 'Reconcile Requested')
      .map((event) => event.detail as ReconcileRequestedDetail);
    expect(requested.map((detail) => detail.reason)).toEqual(['resync', 'resync']);
  });

  it('reads the same lists as @kubernetes/client-node', async () => {
    const token = await createEksToken({
      clusterName: 'demo',
      region: TOPOLOGY.region,
      endpoint: aws.url,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const ours = await createKubeApi({ server: api.url, token }).list('Pod');
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'demo', server: api.url, skipTLSVerify: true }],
      users: [{ name: 'slbc', token }],
      contexts: [{ name: 'demo', cluster: 'demo', user: 'slbc' }],
      currentContext: 'demo',
    });
    const theirs = await kc.makeApiClient(CoreV1Api).listPodForAllNamespaces();
    const summary = (items: { metadata?: { name?: string }; status?: { podIP?: string } }[]) =>
      items.map((pod) => `${pod.metadata?.name}=${pod.status?.podIP}`).sort();
    expect(summary(ours.items as never)).toEqual(summary(theirs.items));
    expect(ours.items.length).toBeGreaterThan(0);
    expect(ours.resourceVersion).toBe(theirs.metadata?.resourceVersion);
  });

  it('refuses a forged token: the Kubernetes API answers 401 and resync says so', async () => {
    const forged = createKubeApi({ server: api.url, token: 'k8s-aws-v1.forged' });
    await expect(forged.list('Pod')).rejects.toThrow(/answered 401/);
  });
});

function failing(api: KubeApi, kind: string): KubeApi {
  return {
    ...api,
    list: async (listed) => {
      if (listed === kind) throw new RetryableError(`list ${kind} failed`);
      return api.list(listed);
    },
  };
}
