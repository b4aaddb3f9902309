import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { INGEST_FILTER_PATTERN } from '../../../shared/k8s/audit-filter.js';

/** infra/deploy/clusters.cjs: the per-cluster pieces serverless.yml reads through ${file(...)}. */

interface ClustersModule {
  parseClusters(value: unknown): string[];
  logicalIdSuffix(name: string): string;
  subscriptions(context: { resolveVariable: (name: string) => Promise<unknown> }): Promise<{
    Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  }>;
}

const clusters = createRequire(import.meta.url)('../../../infra/deploy/clusters.cjs') as ClustersModule;

describe('clusters parameter', () => {
  it.each<[string, string[]]>([
    ['demo', ['demo']],
    [' a , b ,a', ['a', 'b']],
    ['prod-eu-1,prod_us', ['prod-eu-1', 'prod_us']],
  ])('%j names %j', (value, expected) => {
    expect(clusters.parseClusters(value)).toEqual(expected);
  });

  it.each(['', ' , ', '-starts-with-dash', 'has space', 'a/b', 'x'.repeat(101)])('rejects %j', (value) => {
    expect(() => clusters.parseClusters(value)).toThrow();
  });

  it('keeps logical IDs apart for names that differ only in case or punctuation', () => {
    const suffixes = ['ab', 'Ab', 'a-b', 'a_b', 'A-b'].map(clusters.logicalIdSuffix);
    expect(new Set(suffixes).size).toBe(5);
    for (const suffix of suffixes) expect(suffix).toMatch(/^[A-Za-z0-9]+$/);
    expect(clusters.logicalIdSuffix('demo')).toBe('Demo');
  });

  it('builds one subscription and one permission per cluster, with the ingest filter pattern', async () => {
    const { Resources } = await clusters.subscriptions({ resolveVariable: async () => 'a,b-c' });
    const types = Object.values(Resources).map((r) => r.Type);
    expect(types.filter((t) => t === 'AWS::Logs::SubscriptionFilter')).toHaveLength(2);
    expect(types.filter((t) => t === 'AWS::Lambda::Permission')).toHaveLength(2);
    for (const resource of Object.values(Resources)) {
      if (resource.Type === 'AWS::Logs::SubscriptionFilter') {
        expect(resource.Properties.FilterPattern).toBe(INGEST_FILTER_PATTERN);
      }
    }
  });
});
