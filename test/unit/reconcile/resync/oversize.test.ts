import { describe, expect, it } from 'vitest';
import type { BusEntry, PublishResult } from '../../../../shared/aws/event-publisher.js';
import type { KubeApi } from '../../../../shared/kube/kube-api.js';
import { runResync } from '../../../../shared/reconcile/resync/pass.js';
import type { ResyncDeps } from '../../../../shared/reconcile/resync/ports.js';
import { CLUSTER, countingMetrics, memoryState, quietLogger } from '../fixtures.js';

/**
 * An object over the bus's 256 KB entry budget is not skipped by resync (it was, and stayed
 * unbuilt): it is sent without its body, `needsResync`, for targets and stacks to fetch.
 */
const service = (name: string, blob: string) => ({
  metadata: {
    namespace: 'shop',
    name,
    uid: `uid-${name}`,
    resourceVersion: '7',
    annotations: { 'example.com/blob': blob },
  },
  spec: { type: 'LoadBalancer', selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] },
});

describe('resync of an object over the bus budget', () => {
  it.each([
    { name: 'small: sent with its object', blob: 'x', needsResync: undefined, withObject: true },
    {
      name: 'over 256 KB: sent as needsResync, without its object',
      blob: 'x'.repeat(300 * 1024),
      needsResync: true,
      withObject: false,
    },
  ])('$name', async ({ blob, needsResync, withObject }) => {
    const sent: BusEntry[] = [];
    const api = {
      list: async (kind: string) => ({
        items: kind === 'Service' ? [service('edge', blob)] : [],
        resourceVersion: '9',
      }),
    } as unknown as KubeApi;
    const deps: ResyncDeps = {
      state: memoryState(),
      publisher: {
        publish: async (entries: readonly BusEntry[]): Promise<PublishResult> => {
          sent.push(...entries);
          return { published: entries.length, calls: 1 } as PublishResult;
        },
      },
      kubeApiFor: async () => api,
      config: { clusters: [CLUSTER] },
      now: () => 1_800_000_000_000,
      newRunId: () => 'run-1',
      logger: quietLogger,
      metrics: countingMetrics(),
    };
    const report = await runResync(deps, [CLUSTER]);
    expect(sent).toHaveLength(1);
    const detail = JSON.parse(String(sent[0]?.detail)) as Record<string, unknown>;
    expect([detail['kind'], detail['name'], detail['needsResync'], 'object' in detail]).toEqual([
      'Service',
      'edge',
      needsResync,
      withObject,
    ]);
    expect(report.clusters[0]?.oversize).toEqual(withObject ? [] : ['Service shop/edge']);
  });
});
