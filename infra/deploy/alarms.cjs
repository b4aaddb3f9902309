'use strict';
/**
 * CloudWatch alarms for every function and every queue in serverless.yml: a message in a
 * dead-letter or on-failure queue is an event slbc did not process, and function errors or
 * throttles are how that starts. Errors and throttles alarm when they persist (in 2 of 3
 * five-minute windows): Lambda retries an async invocation, so one failure that the retry
 * healed is not worth a page; the queues alarm on their first message, which nothing heals.
 * Two more watch slbc's own health: registration lag (pod change observed -> targets
 * registered, p90 over 2 minutes) and resync (a failed list, or no run for 15 minutes).
 * Actions go to the optional `alarmTopicArn` parameter; without one the alarms still change
 * state (visible in the console), through the HasAlarmTopic condition in serverless.yml.
 * docs/operations.md explains each and what to do.
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

/** 2 of 3 windows: a failure the retry healed stays below it, a stuck one does not */
const PERSISTENT = { EvaluationPeriods: 3, DatapointsToAlarm: 2 };
const FIRST = { EvaluationPeriods: 1 };

function alarm({
  name,
  description,
  namespace,
  metric,
  statistic,
  dimension,
  datapoints = FIRST,
  threshold = 0,
  comparison = 'GreaterThanThreshold',
  period = 300,
  missing = 'notBreaching',
}) {
  const stat = /^p\d/.test(statistic) ? { ExtendedStatistic: statistic } : { Statistic: statistic };
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmName: { 'Fn::Sub': `\${AWS::StackName}-${name}` },
      AlarmDescription: description,
      Namespace: namespace,
      MetricName: metric,
      Dimensions: [dimension],
      ...stat,
      // SQS publishes its metrics every 5 minutes; Lambda's are summed over the same window.
      Period: period,
      ...datapoints,
      Threshold: threshold,
      ComparisonOperator: comparison,
      TreatMissingData: missing,
      AlarmActions: actions,
      OKActions: actions,
    },
  };
}

/** Powertools metrics carry the function's service name as their `service` dimension. */
const service = (name) => ({ Name: 'service', Value: `slbc-${name}` });

/** Registration lag (ms, p90) above which pods wait too long for traffic. */
const LAG_THRESHOLD_MS = 120_000;

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
      datapoints: PERSISTENT,
    });
    resources[`${capitalised(name)}ThrottlesAlarm`] = alarm({
      name: `${name}-throttles`,
      description: `slbc ${name}: invocations throttled (raise the account's concurrency or reserve some)`,
      namespace: 'AWS/Lambda',
      metric: 'Throttles',
      statistic: 'Sum',
      dimension,
      datapoints: PERSISTENT,
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
  resources.TargetsRegistrationLagAlarm = alarm({
    name: 'targets-registration-lag',
    description: `slbc targets: p90 time from a pod change observed to its targets registered is over ${LAG_THRESHOLD_MS / 1000} s (audit log delivery late, throttling, or a stuck key; see docs/operations.md)`,
    namespace: 'slbc',
    metric: 'TargetsRegistrationLag',
    statistic: 'p90',
    dimension: service('targets'),
    datapoints: PERSISTENT,
    threshold: LAG_THRESHOLD_MS,
  });
  resources.ResyncFailedListsAlarm = alarm({
    name: 'resync-failed-lists',
    description:
      'slbc resync: listing a cluster from the Kubernetes API failed (access entry, RBAC or endpoint); lost audit events are not healed meanwhile',
    namespace: 'slbc',
    metric: 'ResyncFailedLists',
    statistic: 'Sum',
    dimension: service('resync'),
    datapoints: PERSISTENT,
  });
  resources.ResyncNotRunningAlarm = alarm({
    name: 'resync-not-running',
    description:
      'slbc resync: no invocation for 15 minutes (schedule disabled or failing to invoke); lost audit events are not healed meanwhile',
    namespace: 'AWS/Lambda',
    metric: 'Invocations',
    statistic: 'Sum',
    dimension: { Name: 'FunctionName', Value: { Ref: 'ResyncLambdaFunction' } },
    period: 900,
    threshold: 1,
    comparison: 'LessThanThreshold',
    missing: 'breaching',
  });
  return resources;
}

module.exports = {
  FUNCTIONS,
  QUEUES,
  alarmResources,
  resources: () => ({ Resources: alarmResources() }),
};
