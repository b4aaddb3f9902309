import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { virtualClock } from '../../../infra/local/aws/context.js';
import { SubscriptionDelivery } from '../../../infra/local/cluster/audit/delivery.js';
import {
  advanceUntilSettled,
  decodeSubscriptionEvent,
  type SubscriptionLambdaEvent,
} from '../../../infra/local/cluster/index.js';
import { seededRng } from '../../../infra/local/cluster/rng.js';
import { testCluster, webManifests } from './fixtures.js';

function delivery(options: Partial<ConstructorParameters<typeof SubscriptionDelivery>[0]> = {}) {
  const clock = virtualClock();
  const sent: SubscriptionLambdaEvent[] = [];
  const d = new SubscriptionDelivery({
    clock,
    rng: seededRng(5),
    account: '111122223333',
    clusterName: 'demo',
    ...options,
  });
  d.setSink((event) => {
    sent.push(event);
  });
  return { clock, sent, d };
}

describe('subscription payloads', () => {
  it('round-trip through gzip and base64 with the CloudWatch Logs shape', async () => {
    const { cluster, clock } = testCluster({ audit: { deliveryDelayMs: 500 } });
    const payloads: SubscriptionLambdaEvent[] = [];
    cluster.onSubscriptionPayload((event) => {
      payloads.push(event);
    });
    cluster.apply(webManifests({ replicas: 1 }));
    await advanceUntilSettled(cluster, clock);
    expect(payloads.length).toBeGreaterThan(0);
    const lines = new Set<string>();
    for (const event of payloads) {
      expect(Object.keys(event)).toEqual(['awslogs']);
      const decoded = JSON.parse(gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8'));
      expect(decoded).toEqual(decodeSubscriptionEvent(event));
      expect(decoded).toMatchObject({
        messageType: 'DATA_MESSAGE',
        owner: '111122223333',
        logGroup: '/aws/eks/demo/cluster',
        subscriptionFilters: ['slbc-audit'],
      });
      expect(decoded.logStream).toMatch(/^kube-apiserver-audit-[0-9a-f]{32}$/);
      for (const logEvent of decoded.logEvents) {
        expect(logEvent.id).toMatch(/^[1-9]\d{55}$/);
        expect(JSON.parse(logEvent.message)).toMatchObject({ kind: 'Event', apiVersion: 'audit.k8s.io/v1' });
        expect(logEvent.timestamp).toBe(Date.parse(JSON.parse(logEvent.message).stageTimestamp));
        lines.add(logEvent.id);
      }
    }
    expect(lines.size).toBe(cluster.snapshot().audit.linesWritten);
  });

  it('batches per stream by count and by time', async () => {
    const { clock, sent, d } = delivery({
      streams: 1,
      batch: { maxEvents: 3, maxWaitMs: 1000 },
      deliveryDelayMs: 0,
    });
    for (let i = 0; i < 7; i++) d.add(`{"n":${i}}`, clock.now());
    clock.advance(0);
    expect(sent.map((e) => decodeSubscriptionEvent(e).logEvents.length)).toEqual([3, 3]);
    clock.advance(1000);
    expect(sent.map((e) => decodeSubscriptionEvent(e).logEvents.length)).toEqual([3, 3, 1]);
    await d.settleInFlight();
    expect(d.isIdle()).toBe(true);
  });

  it('batches by bytes', () => {
    const { clock, sent, d } = delivery({ streams: 1, batch: { maxBytes: 100 }, deliveryDelayMs: 0 });
    for (let i = 0; i < 4; i++) d.add(`{"pad":"${'x'.repeat(40)}"}`, clock.now());
    clock.advance(2000);
    expect(sent.map((e) => decodeSubscriptionEvent(e).logEvents.length)).toEqual([1, 1, 1, 1]);
  });

  it('holds payloads for the delivery delay, and flush delivers at once', async () => {
    const { clock, sent, d } = delivery({ deliveryDelayMs: 5000 });
    d.add('{"a":1}', clock.now());
    clock.advance(1000 + 4000);
    expect(sent).toHaveLength(0);
    clock.advance(1000);
    expect(sent).toHaveLength(1);
    d.add('{"a":2}', clock.now());
    await d.flush();
    expect(sent).toHaveLength(2);
    expect(d.isIdle()).toBe(true);
  });

  it('retries a failing sink and counts the failure', async () => {
    const clock = virtualClock();
    const d = new SubscriptionDelivery({
      clock,
      rng: seededRng(1),
      account: '1',
      clusterName: 'demo',
      deliveryDelayMs: 10,
    });
    let calls = 0;
    d.setSink(async () => {
      calls++;
      if (calls === 1) throw new Error('throttled');
    });
    d.add('{}', clock.now());
    await d.flush();
    clock.advance(10);
    await d.settleInFlight();
    expect({ calls, failures: d.counters.deliveryFailures, delivered: d.counters.linesDelivered }).toEqual({
      calls: 2,
      failures: 1,
      delivered: 1,
    });
  });
});

describe('chaos knobs', () => {
  async function run(seed: number, chaos: { duplicate?: number; reorder?: number; drop?: number }) {
    const { cluster, clock } = testCluster({ seed, audit: { chaos, deliveryDelayMs: 200 } });
    const ids: string[] = [];
    cluster.onSubscriptionPayload((event) => {
      for (const e of decodeSubscriptionEvent(event).logEvents) ids.push(e.id);
    });
    cluster.apply(webManifests({ replicas: 3 }));
    await advanceUntilSettled(cluster, clock);
    return { ids, counters: cluster.snapshot().audit };
  }

  const cases = [
    { name: 'drop', chaos: { drop: 0.3 } },
    { name: 'duplicate', chaos: { duplicate: 0.3 } },
    { name: 'reorder', chaos: { reorder: 0.5 } },
  ];
  for (const c of cases)
    it(`${c.name} is deterministic for a seed and counted`, async () => {
      const first = await run(9, c.chaos);
      const second = await run(9, c.chaos);
      expect(second.ids).toEqual(first.ids);
      const { linesWritten, linesDelivered, linesDropped, linesDuplicated, payloadsReordered } =
        first.counters;
      expect(linesDelivered).toBe(linesWritten - linesDropped + linesDuplicated);
      expect(first.ids).toHaveLength(linesDelivered);
      if (c.name === 'drop') expect(linesDropped).toBeGreaterThan(0);
      if (c.name === 'duplicate') {
        expect(linesDuplicated).toBeGreaterThan(0);
        expect(new Set(first.ids).size).toBe(first.ids.length - linesDuplicated);
      }
      if (c.name === 'reorder') {
        expect(payloadsReordered).toBeGreaterThan(0);
        expect(first.ids).not.toEqual([...first.ids].sort());
      }
    });
});
