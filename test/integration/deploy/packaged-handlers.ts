import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle } from '../../../infra/deploy/package.js';
import { readWiring } from '../../../infra/deploy/wiring.js';
import type { CounterSnapshot } from '../../../infra/local/aws/counters.js';
import { type LocalAws, startLocalAws } from '../../../infra/local/aws/index.js';
import { CLUSTER_SOURCE } from '../../../shared/events/contract.js';
import { ensureTable, openState } from '../../../shared/state/index.js';
import { fixture, lambdaEvent } from '../../unit/ingest/support.js';
import { createTargetGroup, serviceBinding } from '../targets/harness.js';
import { CLUSTER, rollingUpdate } from '../targets/scenario.js';
import { type Answer, invokePackaged } from './bundles.js';

/**
 * The packaged handlers run, not only imported: the code Lambda runs is esbuild's output (the
 * SDK bundled, arrow functions rewritten, one eager chunk), and a difference from the source
 * would pass every test that runs the source. Each function gets the same events twice, from
 * its zip in a fresh process with its serverless.yml environment, and from the source in this
 * process, each against its own bus or table on the local AWS endpoint; the answers, the AWS
 * calls and what they did must be the same. ingest gets real EKS audit lines (the verbatim
 * event among them), targets a Service's rolling update with a target group bound to it.
 */

const AUDIT_LINES = [
  '01-pod-status-patch-eks-real-oomkilled.json',
  '02-pod-status-patch-podip-ready-eks-reconstructed.json',
  '03-pod-create-replicaset-controller-reconstructed.json',
  '04a-pod-delete-graceful-reconstructed.json',
];

type Run = 'source' | 'packaged';
type Fn = 'ingest' | 'targets';
type Handler = (event: never, context: never) => Promise<unknown>;
/** imported once process.env holds the function's environment: ingest reads it at import, as in Lambda */
const SOURCE_HANDLERS: Record<Fn, () => Promise<{ handler: Handler }>> = {
  ingest: () => import('../../../functions/ingest/handler.js'),
  targets: () => import('../../../functions/targets/handler.js'),
};
interface Published {
  source: string;
  'detail-type': string;
  detail: unknown;
}

export function describePackagedHandlers(bundleOf: (name: string) => Bundle): void {
  describe('packaged handlers answer as the source does', () => {
    let aws: LocalAws;
    const published: Record<Run, Published[]> = { source: [], packaged: [] };
    const savedEnv = { ...process.env };
    const wiring = readWiring({ stage: 'ci', params: { clusters: CLUSTER } });

    /** a function's serverless.yml environment, on the local endpoint, with the run's bus and table */
    const environment = (fn: Fn, run: Run): Record<string, string> => ({
      ...wiring.functions[fn]!.environment,
      AWS_ENDPOINT_URL: aws.url,
      AWS_REGION: aws.region,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      SLBC_BUS_NAME: `slbc-${run}`,
      SLBC_TABLE_NAME: `slbc-${run}`,
      // the targets burst waits are real-time sleeps
      SLBC_TARGETS_SETTLE_MS: '20',
      SLBC_TARGETS_QUIET_MS: '10',
    });

    /** the handler's answers and the AWS calls they made, by service and action */
    async function answersAndCalls(
      fn: Fn,
      run: Run,
      events: readonly unknown[],
    ): Promise<{ answers: Answer[]; calls: CounterSnapshot['byAction'] }> {
      aws.counters.reset();
      const env = environment(fn, run);
      let answers: Answer[];
      if (run === 'packaged') {
        answers = await invokePackaged(bundleOf(fn), events, env);
      } else {
        // the source's production wiring reads process.env on its first call, as the bundle does
        process.env = { ...savedEnv, ...env };
        const { handler } = await SOURCE_HANDLERS[fn]();
        answers = [];
        for (const event of events) {
          try {
            answers.push({ result: (await handler(event as never, context(fn) as never)) ?? null });
          } catch (error) {
            answers.push({ error: (error as Error).message });
          }
        }
        process.env = { ...savedEnv };
      }
      return { answers, calls: aws.counters.snapshot().byAction };
    }

    const context = (fn: Fn) => ({
      functionName: `slbc-${fn}`,
      functionVersion: '$LATEST',
      memoryLimitInMB: '1024',
      invokedFunctionArn: `arn:aws:lambda:eu-west-1:123456789012:function:slbc-${fn}`,
      awsRequestId: 'source',
      getRemainingTimeInMillis: () => 60_000,
    });

    let elbv2: ElasticLoadBalancingV2Client;
    let dynamodb: DynamoDBClient;

    /** a target group of the run's own, bound in its table to the scenario's Service as stacks binds one */
    async function bindTargetGroup(run: Run): Promise<string> {
      const targetGroupArn = await createTargetGroup(elbv2, aws.topology.vpc.id, `packaged-${run}`);
      await openState(dynamodb, `slbc-${run}`).bindings.put(serviceBinding(targetGroupArn, 'http', true));
      return targetGroupArn;
    }

    beforeAll(async () => {
      aws = await startLocalAws({ port: 0 });
      const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
      const events = new EventBridgeClient({ endpoint: aws.url, region: aws.region, credentials });
      dynamodb = new DynamoDBClient({ endpoint: aws.url, region: aws.region, credentials });
      elbv2 = new ElasticLoadBalancingV2Client({ endpoint: aws.url, region: aws.region, credentials });
      for (const run of ['source', 'packaged'] as const) {
        const bus = `slbc-${run}`;
        await events.send(new CreateEventBusCommand({ Name: bus }));
        await events.send(
          new PutRuleCommand({
            Name: 'all',
            EventBusName: bus,
            EventPattern: JSON.stringify({ source: [CLUSTER_SOURCE] }),
          }),
        );
        const sink = `${bus}-sink`;
        await events.send(
          new PutTargetsCommand({
            Rule: 'all',
            EventBusName: bus,
            Targets: [
              { Id: 'sink', Arn: `arn:aws:lambda:${aws.region}:${aws.topology.account}:function:${sink}` },
            ],
          }),
        );
        aws.services.events.registerLambda(sink, async (event) => {
          published[run].push(event as Published);
        });
        await ensureTable(dynamodb, bus);
      }
    }, 30_000);

    afterAll(async () => {
      process.env = savedEnv;
      await aws?.stop();
    });

    it('ingest: the same summaries, calls and published events for real EKS audit lines', async () => {
      const batch = [lambdaEvent(AUDIT_LINES.map((name) => fixture(name)))];
      const source = await answersAndCalls('ingest', 'source', batch);
      const packaged = await answersAndCalls('ingest', 'packaged', batch);
      expect(source.answers).toEqual([{ result: expect.objectContaining({ published: 4 }) }]);
      expect(packaged).toEqual(source);
      await expect.poll(() => published.packaged.length).toBe(4);
      const comparable = (events: Published[]) =>
        events.map((event) => ({
          source: event.source,
          detailType: event['detail-type'],
          detail: event.detail,
        }));
      expect(comparable(published.packaged)).toEqual(comparable(published.source));
    }, 60_000);

    it('targets: the same answers, ELBv2 and DynamoDB calls and targets for a rolling update', async () => {
      // observed a minute ago: a change slbc takes as it comes, not one it checks against the API first
      const { setup, rollout, finalTargets } = rollingUpdate(3, Date.now() - 60_000);
      const events = [...setup, ...rollout];
      const run = async (name: Run) => {
        const targetGroupArn = await bindTargetGroup(name);
        const { answers, calls } = await answersAndCalls('targets', name, events);
        const registered = (
          await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }))
        ).TargetHealthDescriptions?.filter((target) => target.TargetHealth?.State !== 'draining')
          .map((target) => `${target.Target?.Id}:${target.Target?.Port}`)
          .sort();
        // each run has its own target group: its ARN is the one difference the answers may show
        const named = JSON.parse(JSON.stringify(answers).replaceAll(targetGroupArn, '<its target group>'));
        return { answers: named as Answer[], calls, registered };
      };
      const source = await run('source');
      expect(source.registered).toEqual(finalTargets);
      expect(source.calls['elbv2:RegisterTargets']).toBeGreaterThan(0);
      expect(source.calls['elbv2:DeregisterTargets']).toBeGreaterThan(0);
      expect(await run('packaged')).toEqual(source);
    }, 120_000);
  });
}
