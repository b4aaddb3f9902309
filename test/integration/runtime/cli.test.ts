import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { albDemo } from '../../../infra/cli/demo.js';
import { runReplay } from '../../../infra/cli/replay.js';
import { collectStatus } from '../../../infra/cli/status.js';
import { startLocalSystem } from '../../../infra/local/runtime/index.js';
import type { LocalSystem } from '../../../infra/local/runtime/system.js';
import { clientConfig } from '../../../shared/aws/clients.js';

/** `slbc status` and `slbc replay` against a converged local system, through the SDK. */
describe('slbc status and replay on the local system', () => {
  let system: LocalSystem;

  beforeAll(async () => {
    system = await startLocalSystem({ seed: 7 });
    system.apply(albDemo());
    expect(await system.settle({ timeoutMs: 40_000 })).toBe(true);
  }, 60_000);

  afterAll(async () => {
    await system?.stop();
  });

  it('status lists the ALB and both target groups slbc owns, with their targets, and no recorded errors', async () => {
    const config = clientConfig({ endpoint: system.aws.url, region: system.aws.region });
    const elbv2 = new ElasticLoadBalancingV2Client(config);
    const dynamodb = new DynamoDBClient(config);
    const report = await collectStatus(
      { elbv2, dynamodb },
      { cluster: 'demo', tableName: system.wiring.tableName },
    );
    expect(report.topology.loadBalancers).toHaveLength(1);
    const groups = report.topology.loadBalancers[0]?.listeners.flatMap((listener) =>
      listener.rules.flatMap((rule) => rule.targetGroups),
    );
    expect(groups?.map((group) => group.targets.length)).toEqual([2, 2]);
    expect(report.errors).toEqual([]);
    const other = await collectStatus(
      { elbv2, dynamodb },
      { cluster: 'another', tableName: system.wiring.tableName },
    );
    expect(other.topology.loadBalancers).toEqual([]);
    elbv2.destroy();
    dynamodb.destroy();
  });

  it('replaying the whole archive completes and then makes no mutating ELBv2 call', async () => {
    const before = await system.counters();
    const { archived, replayed } = system.aws.services.events.counters();
    expect(archived).toBeGreaterThan(0);
    const outcome = await system.replay();
    expect(outcome.state).toBe('COMPLETED');
    expect(await system.settle({ timeoutMs: 30_000 })).toBe(true);
    const after = await system.counters();
    expect(system.aws.services.events.counters().replayed - replayed).toBe(archived);
    expect(after.invocations['targets']).toBeGreaterThan(before.invocations['targets'] ?? 0);
    expect(after.elbv2Mutations - before.elbv2Mutations).toBe(0);
    expect(await system.converged()).toBe(true);
  }, 60_000);

  it('slbc replay (the command) drives the same replay against the endpoint and exits 0', async () => {
    let output = '';
    const code = await runReplay(
      {
        name: 'replay',
        from: new Date(Date.now() - 3_600_000),
        to: new Date(),
        stage: 'local',
        endpoint: system.aws.url,
        region: system.aws.region,
      },
      (text) => {
        output += text;
        return true;
      },
    );
    expect(output).toContain('COMPLETED');
    expect(code).toBe(0);
  }, 30_000);
});
