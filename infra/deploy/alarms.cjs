'use strict';
/**
 * CloudWatch alarms for every function and every queue in serverless.yml: a message in a
 * dead-letter or on-failure queue is an event slbc did not process, and function errors or
 * throttles are how that starts. Generated because the thirteen alarms differ only in names.
 * Actions go to the optional `alarmTopicArn` parameter; without one the alarms still change
 * state (visible in the console), through the HasAlarmTopic condition in serverless.yml.
 */

/** Function names as serverless.yml declares them; the Framework names them <Name>LambdaFunction. */
const FUNCTIONS = ['ingest', 'targets', 'stacks', 'resync'];

/** Queue logical IDs from serverless.yml; an alarm fires on the first message. */
const QUEUES = [
  'EventRuleDeadLetterQueue',
  'IngestFailureQueue',
  'TargetsFailureQueue',
  // not TargetsRecheckQueue: it holds messages by design; its dead letters are failures
  'TargetsRecheckDeadLetterQueue',
  'StacksFailureQueue',
  'ResyncFailureQueue',
];

const capitalised = (name) => name.charAt(0).toUpperCase() + name.slice(1);

const actions = {
  'Fn::If': ['HasAlarmTopic', [{ Ref: 'AlarmTopicArn' }], { Ref: 'AWS::NoValue' }],
};

function alarm({ name, description, namespace, metric, statistic, dimension }) {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmName: { 'Fn::Sub': `\${AWS::StackName}-${name}` },
      AlarmDescription: description,
      Namespace: namespace,
      MetricName: metric,
      Dimensions: [dimension],
      Statistic: statistic,
      // SQS publishes its metrics every 5 minutes; Lambda's are summed over the same window.
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: actions,
      OKActions: actions,
    },
  };
}

function alarmResources() {
  const resources = {};
  for (const name of FUNCTIONS) {
    const functionId = `${capitalised(name)}LambdaFunction`;
    const dimension = { Name: 'FunctionName', Value: { Ref: functionId } };
    resources[`${capitalised(name)}ErrorsAlarm`] = alarm({
      name: `${name}-errors`,
      description: `slbc ${name}: invocations failed (Lambda retries them, then sends them to the on-failure queue)`,
      namespace: 'AWS/Lambda',
      metric: 'Errors',
      statistic: 'Sum',
      dimension,
    });
    resources[`${capitalised(name)}ThrottlesAlarm`] = alarm({
      name: `${name}-throttles`,
      description: `slbc ${name}: invocations throttled (raise the account's concurrency or reserve some)`,
      namespace: 'AWS/Lambda',
      metric: 'Throttles',
      statistic: 'Sum',
      dimension,
    });
  }
  for (const queue of QUEUES) {
    resources[`${queue}DepthAlarm`] = alarm({
      name: `${queue}-depth`,
      description: `slbc: messages in ${queue}; each is an event that was not processed (see docs/deploy.md)`,
      namespace: 'AWS/SQS',
      metric: 'ApproximateNumberOfMessagesVisible',
      statistic: 'Maximum',
      dimension: { Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } },
    });
  }
  return resources;
}

module.exports = {
  FUNCTIONS,
  QUEUES,
  alarmResources,
  resources: () => ({ Resources: alarmResources() }),
};
