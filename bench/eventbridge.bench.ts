/**
 * Local EventBridge throughput, in process (no HTTP): how fast the compiled pattern matcher
 * decides slbc's rule patterns against audit-shaped events, and how many events per second
 * flow PutEvents -> 3 rules -> Lambda handlers -> settled, and archive -> replay -> handlers.
 * These bound how much bus traffic the local stack and its tests can push; the matcher goal is
 * 1,000,000 decisions/s, so routing never dominates a local run.
 */
import { scaledClock } from '../infra/local/aws/context.js';
import { createEventBridgeService } from '../infra/local/aws/eventbridge/index.js';
import { compilePattern } from '../infra/local/aws/eventbridge/pattern.js';
import { defaultTopology } from '../infra/local/aws/topology.js';
import { peakRssMiB, writeReport } from './report.js';

const TARGET_MATCHES_PER_SECOND = 1_000_000;

const patterns = {
  targets: {
    source: ['slbc.cluster'],
    'detail-type': ['Pod Changed', 'Pod Status Patched', 'Endpoints Changed'],
  },
  stacks: { source: ['slbc.cluster'], 'detail-type': ['Ingress Changed', 'Service Changed'] },
  internal: { source: ['slbc.internal'], 'detail-type': ['Target Group Bound'] },
  rich: {
    source: [{ prefix: 'slbc.' }],
    detail: {
      namespace: [{ 'anything-but': ['kube-system', 'kube-public'] }],
      podIP: [{ cidr: '10.0.0.0/16' }],
      $or: [{ phase: ['Running'] }, { ready: [{ exists: true }] }],
    },
  },
};

const event = (i: number) => ({
  version: '0',
  id: `id-${i}`,
  'detail-type': ['Pod Changed', 'Ingress Changed', 'Node Changed'][i % 3]!,
  source: 'slbc.cluster',
  account: '123456789012',
  time: '2026-02-01T10:00:00Z',
  region: 'eu-west-1',
  resources: [],
  detail: {
    namespace: i % 5 === 0 ? 'kube-system' : 'shop',
    podIP: `10.0.${i % 250}.${i % 200}`,
    phase: 'Running',
  },
});

/**
 * Decisions per second for each pattern, and for a one-comparison predicate as a baseline: on
 * a busy machine the ratio to the baseline says more than the absolute figure.
 */
function matchesPerSecond(): Record<string, number> {
  const events = Array.from({ length: 1000 }, (_, i) => event(i));
  const result: Record<string, number> = {};
  const baseline = (e: { source: string }) => e.source === 'slbc.cluster';
  const compiled = Object.entries(patterns).map(
    ([name, pattern]) => [name, compilePattern(pattern)] as const,
  );
  for (const [name, match] of [['baseline', baseline] as const, ...compiled]) {
    let hits = 0;
    for (const e of events) if (match(e)) hits++; // warm-up
    const rounds = 500;
    const start = process.hrtime.bigint();
    for (let r = 0; r < rounds; r++) for (const e of events) if (match(e)) hits++;
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    result[name] = Math.round((rounds * events.length) / seconds);
    if (hits < 0) console.log(hits);
  }
  return result;
}

async function deliveryPerSecond(count: number): Promise<{ putToSettled: number; replayToSettled: number }> {
  const topology = defaultTopology();
  const service = createEventBridgeService({
    account: topology.account,
    region: topology.region,
    topology,
    clock: scaledClock(1),
  });
  await service.handle('CreateEventBus', { Name: 'bench' });
  const busArn = `arn:aws:events:${topology.region}:${topology.account}:event-bus/bench`;
  await service.handle('CreateArchive', { ArchiveName: 'bench', EventSourceArn: busArn });
  let delivered = 0;
  for (const [name, pattern] of Object.entries(patterns).slice(0, 3)) {
    service.registerLambda(name, () => {
      delivered++;
    });
    await service.handle('PutRule', {
      Name: name,
      EventBusName: 'bench',
      EventPattern: JSON.stringify(pattern),
    });
    await service.handle('PutTargets', {
      Rule: name,
      EventBusName: 'bench',
      Targets: [{ Id: 't', Arn: `arn:aws:lambda:${topology.region}:${topology.account}:function:${name}` }],
    });
  }
  const entries = (from: number) =>
    Array.from({ length: 10 }, (_, i) => {
      const e = event(from + i);
      return {
        Source: e.source,
        DetailType: e['detail-type'],
        Detail: JSON.stringify(e.detail),
        EventBusName: 'bench',
      };
    });
  let start = process.hrtime.bigint();
  for (let i = 0; i < count; i += 10) await service.handle('PutEvents', { Entries: entries(i) });
  await service.drain();
  const putSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  const live = delivered;
  start = process.hrtime.bigint();
  await service.handle('StartReplay', {
    ReplayName: 'bench',
    EventSourceArn: `arn:aws:events:${topology.region}:${topology.account}:archive/bench`,
    EventStartTime: 0,
    EventEndTime: Date.now() / 1000 + 3600,
    Destination: { Arn: busArn },
  });
  await service.drain();
  const replaySeconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (delivered !== live * 2) throw new Error(`replay delivered ${delivered - live}, live delivered ${live}`);
  service.stop();
  return { putToSettled: Math.round(count / putSeconds), replayToSettled: Math.round(count / replaySeconds) };
}

const matches = matchesPerSecond();
const delivery = await deliveryPerSecond(20_000);
const { baseline: _baseline, ...patternFigures } = matches;
const slowest = Math.min(...Object.values(patternFigures));
writeReport(
  'eventbridge',
  { matchesPerSecond: matches, eventsPerSecond: delivery, peakRssMiB: peakRssMiB() },
  [
    {
      metric: 'pattern decisions per second (slowest pattern)',
      value: slowest,
      target: `>= ${TARGET_MATCHES_PER_SECOND}`,
      met: slowest >= TARGET_MATCHES_PER_SECOND,
    },
  ],
);
