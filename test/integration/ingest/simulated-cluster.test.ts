import { describe, expect, it } from 'vitest';
import { virtualClock } from '../../../infra/local/aws/context.js';
import {
  advanceUntilSettled,
  createCluster,
  type SubscriptionLambdaEvent,
} from '../../../infra/local/cluster/index.js';
import { ingestPayload } from '../../../shared/events/audit-ingest.js';
import type { ClusterChangeDetail } from '../../../shared/events/contract.js';
import { INGEST_FILTER_PATTERN } from '../../../shared/k8s/audit-filter.js';
import { compileFilterPattern } from '../../../shared/k8s/audit-filter-eval.js';
import { decodeSubscriptionEvent } from '../../../shared/k8s/subscription.js';
import { TOPOLOGY, webManifests } from '../../unit/cluster/fixtures.js';

/**
 * The simulated cluster writes audit lines as EKS's policy logs them, with read noise and
 * duplicated deliveries. Everything it delivers must decode, nothing may be malformed, the
 * writes slbc follows must come out as changes, and the subscription filter must pass every
 * line ingest keeps. This keeps the simulator and ingest honest with each other.
 */

describe('ingest of the simulated cluster audit stream', () => {
  it('decodes every payload, keeps the followed writes and loses none to the filter', async () => {
    // Prepare
    const clock = virtualClock();
    const payloads: SubscriptionLambdaEvent[] = [];
    const cluster = createCluster({
      clock,
      topology: TOPOLOGY,
      nodes: 2,
      audit: { noise: 3, chaos: { duplicate: 0.1 } },
      onSubscriptionPayload: (event) => {
        payloads.push(event);
      },
    });
    // Act
    cluster.apply(webManifests({ replicas: 3 }));
    await advanceUntilSettled(cluster, clock);
    cluster.scale('default/web', 1);
    await advanceUntilSettled(cluster, clock);
    // Assess
    const matches = compileFilterPattern(INGEST_FILTER_PATTERN);
    const details: ClusterChangeDetail[] = [];
    let linesIn = 0;
    for (const event of payloads) {
      const payload = decodeSubscriptionEvent(event);
      const batch = ingestPayload(payload, { clusters: ['demo'] });
      linesIn += batch.report.linesIn;
      expect(batch.report.malformed).toEqual([]);
      details.push(...batch.entries.map((entry) => JSON.parse(entry.detail) as ClusterChangeDetail));
      for (const logEvent of payload.logEvents) {
        const kept = ingestPayload({ ...payload, logEvents: [logEvent] }, { clusters: ['demo'] }).report.kept;
        if (kept === 1) expect(matches(logEvent.message), logEvent.message.slice(0, 200)).toBe(true);
      }
    }
    expect(linesIn).toBeGreaterThan(details.length);
    const seen = (kind: string, verb: string) =>
      details.some((detail) => detail.kind === kind && detail.verb === verb);
    expect(seen('Pod', 'create')).toBe(true);
    expect(seen('Pod', 'delete')).toBe(true);
    expect(seen('Service', 'create')).toBe(true);
    expect(details.some((detail) => detail.kind === 'Endpoints')).toBe(true);
    const ipPatches = details.filter(
      (detail) => detail.subresource === 'status' && JSON.stringify(detail.patch ?? {}).includes('podIP'),
    );
    expect(ipPatches.length).toBeGreaterThanOrEqual(3);
    for (const detail of ipPatches) expect(detail.uid).toMatch(/.+/);
  });
});
