/**
 * Builds the bus, its archive, the rules and their targets on the local EventBridge from
 * `readWiring()`, through the SDK as CloudFormation would: the local rules are serverless.yml's
 * rules, not a copy of them. The resync schedule (an EventBridge Scheduler schedule in AWS)
 * becomes a scheduled rule on the default bus with the same rate and input.
 */
import {
  CreateArchiveCommand,
  CreateEventBusCommand,
  type EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import type { Wiring } from '../../deploy/wiring.js';

export interface FunctionArns {
  /** serverless.yml function key -> deployed name, e.g. targets -> slbc-local-targets */
  nameOf(fn: string): string;
  arnOf(fn: string): string;
  /** a dead-letter queue's ARN from its logical ID */
  queueArnOf(logicalId: string): string;
}

export function functionArns(wiring: Wiring, region: string, account: string): FunctionArns {
  const nameOf = (fn: string) => `${wiring.service}-${wiring.stage}-${fn}`;
  return {
    nameOf,
    arnOf: (fn) => `arn:aws:lambda:${region}:${account}:function:${nameOf(fn)}`,
    queueArnOf: (logicalId) =>
      `arn:aws:sqs:${region}:${account}:${wiring.service}-${wiring.stage}-${logicalId}`,
  };
}

export const SCHEDULE_RULE = 'resync-schedule';

export async function createBus(
  events: EventBridgeClient,
  wiring: Wiring,
  arns: FunctionArns,
): Promise<void> {
  const bus = await events.send(new CreateEventBusCommand({ Name: wiring.busName }));
  await events.send(
    new CreateArchiveCommand({
      ArchiveName: wiring.archive.name,
      EventSourceArn: bus.EventBusArn,
      EventPattern: JSON.stringify(wiring.archive.eventPattern),
      RetentionDays: wiring.archive.retentionDays,
    }),
  );
  for (const rule of wiring.rules) {
    await events.send(
      new PutRuleCommand({
        Name: rule.logicalId,
        EventBusName: wiring.busName,
        EventPattern: JSON.stringify(rule.eventPattern),
        State: 'ENABLED',
        ...(rule.description === undefined ? {} : { Description: rule.description }),
      }),
    );
    await events.send(
      new PutTargetsCommand({
        Rule: rule.logicalId,
        EventBusName: wiring.busName,
        Targets: rule.targets.map((target) => ({
          Id: target.id,
          Arn: arns.arnOf(target.function),
          ...(target.retryPolicy ? { RetryPolicy: target.retryPolicy } : {}),
          ...(target.deadLetterQueue
            ? { DeadLetterConfig: { Arn: arns.queueArnOf(target.deadLetterQueue) } }
            : {}),
        })),
      }),
    );
  }
  await events.send(
    new PutRuleCommand({
      Name: SCHEDULE_RULE,
      ScheduleExpression: wiring.schedule.expression,
      State: 'ENABLED',
    }),
  );
  await events.send(
    new PutTargetsCommand({
      Rule: SCHEDULE_RULE,
      Targets: [
        {
          Id: wiring.schedule.function,
          Arn: arns.arnOf(wiring.schedule.function),
          ...(wiring.schedule.input === undefined ? {} : { Input: wiring.schedule.input }),
          ...(wiring.schedule.retryPolicy ? { RetryPolicy: wiring.schedule.retryPolicy } : {}),
        },
      ],
    }),
  );
}
