import { describe, expect, it } from 'vitest';
import { AwsApiError } from '../../../infra/local/aws/api-error.js';
import { busArn, harness, lambdaArn } from './harness.js';

const ACTIONS = [
  'CreateEventBus',
  'DescribeEventBus',
  'ListEventBuses',
  'DeleteEventBus',
  'UpdateEventBus',
  'PutRule',
  'DescribeRule',
  'ListRules',
  'EnableRule',
  'DisableRule',
  'DeleteRule',
  'PutTargets',
  'ListTargetsByRule',
  'RemoveTargets',
  'PutEvents',
  'TestEventPattern',
  'CreateArchive',
  'DescribeArchive',
  'ListArchives',
  'UpdateArchive',
  'DeleteArchive',
  'StartReplay',
  'DescribeReplay',
  'ListReplays',
  'CancelReplay',
  'ListRuleNamesByTarget',
  'TagResource',
  'UntagResource',
  'ListTagsForResource',
];

const FIELDS = [
  'Name',
  'EventBusName',
  'EventPattern',
  'ScheduleExpression',
  'State',
  'Rule',
  'Targets',
  'Ids',
  'Entries',
  'Event',
  'ArchiveName',
  'EventSourceArn',
  'ReplayName',
  'Destination',
  'EventStartTime',
  'EventEndTime',
  'RetentionDays',
  'NamePrefix',
  'Limit',
  'NextToken',
  'ResourceARN',
  'Tags',
  'TagKeys',
  'TargetArn',
];

const JUNK: unknown[] = [5, -1, 'x', '', [], {}, null, true, [1], [{}], [null], { Arn: 5 }, '{"a":', 1e308];

/** a valid request per action, so one junk field at a time reaches the deeper checks */
const VALID: Record<string, Record<string, unknown>> = {
  PutRule: { Name: 'r', EventPattern: '{"source":["s"]}' },
  PutTargets: { Rule: 'r', Targets: [{ Id: 't', Arn: lambdaArn('f') }] },
  PutEvents: { Entries: [{ Source: 's', DetailType: 'd', Detail: '{}' }] },
  CreateArchive: { ArchiveName: 'a', EventSourceArn: busArn('default') },
  StartReplay: {
    ReplayName: 'p',
    EventSourceArn: 'arn:aws:events:eu-west-1:123456789012:archive/a',
    EventStartTime: 0,
    EventEndTime: 1,
    Destination: { Arn: busArn('default') },
  },
};

describe('bad input', () => {
  it('always answers an AwsApiError naming the problem, never a crash', async () => {
    const { call } = harness();
    let rejected = 0;
    for (const action of ACTIONS) {
      for (const field of FIELDS) {
        for (const junk of JUNK) {
          await call('PutRule', { Name: 'r', EventPattern: '{"source":["s"]}' });
          await call('CreateArchive', { ArchiveName: 'a', EventSourceArn: busArn('default') }).catch(
            () => {},
          );
          try {
            await call(action, { ...VALID[action], [field]: junk });
          } catch (error) {
            rejected++;
            if (!(error instanceof AwsApiError))
              throw new Error(`${action} with ${field}=${JSON.stringify(junk)} threw ${String(error)}`);
            expect(error.message.length).toBeGreaterThan(10);
          }
        }
      }
    }
    expect(rejected).toBeGreaterThan(1000);
  });

  it.each(['CreateConnection', 'constructor', 'toString', '__proto__'])(
    'answers UnknownOperationException for %s, an action it does not have',
    async (action) => {
      const { call } = harness();
      const error = await call(action, {}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AwsApiError);
      expect((error as AwsApiError).code).toBe('UnknownOperationException');
      expect((error as AwsApiError).message).toContain(action);
    },
  );
});
