import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EAGER_KB_BUDGET, packageService, REPO_ROOT, readBundles } from '../../../infra/deploy/package.js';
import { sdkActions } from '../../../infra/deploy/sdk-operations.js';
import { readWiring } from '../../../infra/deploy/wiring.js';
import { matchesPattern } from '../../../infra/local/aws/eventbridge/pattern.js';
import { CLUSTER_SOURCE, DETAIL_TYPES, INTERNAL_SOURCE, ROUTES } from '../../../shared/events/contract.js';
import { INGEST_FILTER_PATTERN } from '../../../shared/k8s/audit-filter.js';
import { TABLE_DEFINITION } from '../../../shared/state/table-definition.js';
import { arrowFunctionCount, importEveryModule, sdkClientsIn } from './bundles.js';
import { allowedElbv2Writes, elbv2WallProblems } from './elbv2-wall.js';
import { isMutating, violations } from './least-privilege.js';
import { describePackagedHandlers } from './packaged-handlers.js';
import { evaluate } from './policy-eval.js';
import { replayed, sampleEvents } from './sample-events.js';
import {
  asList,
  type CfnTemplate,
  functionRoles,
  loadTemplate,
  props,
  referencedId,
  resource,
  resourcesOfType,
  resourceText,
  roleStatements,
} from './template.js';

/**
 * Packages serverless.yml offline, as CI does, and checks the CloudFormation template it
 * produces: routing against the event contract, the archive, queues, table, schedule, alarms
 * and the bundles. The IAM rules live in least-privilege.ts, which has its own tests.
 */

const FUNCTIONS = ['ingest', 'targets', 'stacks', 'resync'] as const;
const PACKAGE_TIMEOUT = 180_000;

const workDir = mkdtempSync(join(tmpdir(), 'slbc-deploy-'));
let template: CfnTemplate;

beforeAll(() => {
  packageService({ stage: 'ci', outDir: join(workDir, 'default') });
  template = loadTemplate(join(workDir, 'default'));
}, PACKAGE_TIMEOUT);

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** Which functions a rule delivers an event to, over every enabled rule on slbc's bus. */
function functionsReached(event: object): string[] {
  const reached = new Set<string>();
  for (const [, rule] of resourcesOfType(template, 'AWS::Events::Rule')) {
    const properties = rule.Properties ?? {};
    if (properties.State !== 'ENABLED' || referencedId(properties.EventBusName) !== 'EventBus') continue;
    if (!matchesPattern(properties.EventPattern, event)) continue;
    for (const target of asList(properties.Targets as { Arn: unknown }[])) {
      reached.add(
        String(referencedId(target.Arn))
          .replace(/LambdaFunction$/, '')
          .toLowerCase(),
      );
    }
  }
  return [...reached].sort();
}

const expectedFunctions = (detailType: string) =>
  Object.entries(ROUTES)
    .filter(([, detailTypes]) => (detailTypes as readonly string[]).includes(detailType))
    .map(([name]) => name)
    .sort();

describe('routing: the rules implement ROUTES', () => {
  it('has a sample event for every detail-type in the contract', () => {
    expect(
      sampleEvents()
        .map((sample) => sample.detailType)
        .sort(),
    ).toEqual(Object.values(DETAIL_TYPES).sort());
  });

  it.each(sampleEvents().map((sample) => [sample.detailType, sample]))(
    '%s reaches exactly its functions, live and replayed',
    (_name, { detailType, event }) => {
      expect(expectedFunctions(detailType).length).toBeGreaterThan(0);
      expect(functionsReached(event)).toEqual(expectedFunctions(detailType));
      expect(functionsReached(replayed(event))).toEqual(expectedFunctions(detailType));
    },
  );

  it('ignores events from other sources and unknown detail-types', () => {
    const [sample] = sampleEvents();
    expect(functionsReached({ ...sample!.event, source: 'aws.ec2' })).toEqual([]);
    expect(functionsReached({ ...sample!.event, 'detail-type': 'Secret Changed' })).toEqual([]);
    // a cluster source does not carry internal detail-types, nor the other way round
    const bound = sampleEvents().find((s) => s.detailType === DETAIL_TYPES.TargetGroupBound)!;
    expect(functionsReached({ ...bound.event, source: CLUSTER_SOURCE })).toEqual([]);
    expect(functionsReached({ ...sample!.event, source: INTERNAL_SOURCE })).toEqual([]);
  });

  it('gives every rule target a retry policy, the dead-letter queue, and a Lambda permission', () => {
    const rules = resourcesOfType(template, 'AWS::Events::Rule');
    expect(rules.length).toBeGreaterThanOrEqual(2);
    const policy = props(template, 'EventRuleDeadLetterQueuePolicy');
    const statement = (policy.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement[0]!;
    expect(statement.Principal).toEqual({ Service: 'events.amazonaws.com' });
    expect(statement.Action).toBe('sqs:SendMessage');
    const allowedRules = asList(
      (statement.Condition as Record<string, Record<string, unknown>>).ArnEquals?.['aws:SourceArn'],
    ).map(referencedId);
    const permissions = resourcesOfType(template, 'AWS::Lambda::Permission').map(
      ([, p]) => p.Properties ?? {},
    );

    for (const [ruleId, rule] of rules) {
      for (const target of asList(rule.Properties?.Targets as Record<string, unknown>[])) {
        const retry = target.RetryPolicy as Record<string, number>;
        expect(retry.MaximumRetryAttempts).toBeGreaterThan(0);
        expect(retry.MaximumEventAgeInSeconds).toBeGreaterThanOrEqual(60);
        const deadLetter = referencedId((target.DeadLetterConfig as { Arn: unknown }).Arn);
        expect(resource(template, deadLetter!).Type).toBe('AWS::SQS::Queue');
        expect(asList(policy.Queues).map(referencedId)).toContain(deadLetter);
        expect(allowedRules).toContain(ruleId);
        const grant = permissions.find(
          (p) =>
            referencedId(p.SourceArn) === ruleId && referencedId(p.FunctionName) === referencedId(target.Arn),
        );
        expect(grant?.Principal, `${ruleId} may invoke its target`).toBe('events.amazonaws.com');
      }
    }
  });
});

describe('bus and archive', () => {
  it('is a classic custom bus named per stage', () => {
    expect(resource(template, 'EventBus').Type).toBe('AWS::Events::EventBus');
    expect(props(template, 'EventBus').Name).toBe('slbc-ci');
  });

  it('archives every event slbc publishes, but not replays of them', () => {
    const archive = props(template, 'EventArchive');
    expect(referencedId(archive.SourceArn)).toBe('EventBus');
    expect(archive.RetentionDays).toBe(30);
    for (const { event } of sampleEvents()) {
      expect(matchesPattern(archive.EventPattern, event)).toBe(true);
      expect(matchesPattern(archive.EventPattern, replayed(event))).toBe(false);
    }
  });
});

describe('IAM: least privilege', () => {
  const capitalised = (name: string) => `${name[0]!.toUpperCase()}${name.slice(1)}`;

  it('breaks no least-privilege rule in any statement of any role', () => {
    const roles = resourcesOfType(template, 'AWS::IAM::Role');
    expect(roles.length).toBe(FUNCTIONS.length + 1);
    const problems = roles.flatMap(([id]) =>
      roleStatements(template, id).flatMap((statement) =>
        violations(statement, ['demo']).map((p) => `${id}: ${p}`),
      ),
    );
    expect(problems).toEqual([]);
  });

  it.each(FUNCTIONS)('%s: logs, failure queue, table, bus and clusters are its own', (name) => {
    const statements = roleStatements(template, functionRoles(template)[name]!);
    const resourcesOf = (action: string) =>
      statements
        .filter((s) => asList(s.Action).includes(action))
        .flatMap((s) => asList(s.Resource).map(resourceText));
    expect(resourcesOf('logs:PutLogEvents')).toEqual([
      `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/slbc-ci-${name}:*`,
    ]);
    expect(resourcesOf('sqs:SendMessage')).toEqual([
      `GetAtt:${capitalised(name)}FailureQueue.Arn`,
      // targets sends itself the delayed re-check of targets not yet healthy
      ...(name === 'targets' ? ['GetAtt:TargetsRecheckQueue.Arn'] : []),
    ]);
    for (const action of ['dynamodb:PutItem', 'dynamodb:Query']) {
      expect(resourcesOf(action)).toEqual(name === 'ingest' ? [] : ['GetAtt:StateTable.Arn']);
    }
    for (const resource of resourcesOf('events:PutEvents')) expect(resource).toBe('GetAtt:EventBus.Arn');
    expect(resourcesOf('eks:DescribeCluster')).toEqual(
      name === 'ingest' ? [] : [`arn:\${AWS::Partition}:eks:\${AWS::Region}:\${AWS::AccountId}:cluster/demo`],
    );
  });

  it.each<[string, string[]]>([
    ['ingest', ['events:PutEvents', 'logs:CreateLogStream', 'logs:PutLogEvents', 'sqs:SendMessage']],
    [
      'targets',
      [
        'dynamodb:BatchWriteItem',
        'dynamodb:DeleteItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'elasticloadbalancing:DeregisterTargets',
        'elasticloadbalancing:RegisterTargets',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        // the re-check queue's event source mapping reads and deletes under the function's role
        'sqs:DeleteMessage',
        'sqs:ReceiveMessage',
        'sqs:SendMessage',
      ],
    ],
    [
      'resync',
      [
        'dynamodb:BatchWriteItem',
        'dynamodb:DeleteItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'events:PutEvents',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'sqs:SendMessage',
      ],
    ],
  ])('%s may change only what its job needs', (name, expected) => {
    const actions = roleStatements(template, functionRoles(template)[name]!).flatMap((s) => asList(s.Action));
    expect([...new Set(actions.filter(isMutating))].sort()).toEqual(expected);
  });

  it('lets only stacks create, change and delete load balancers and security groups', () => {
    const actions = roleStatements(template, functionRoles(template).stacks!).flatMap((s) =>
      asList(s.Action),
    );
    expect(actions).toEqual(
      expect.arrayContaining([
        'elasticloadbalancing:CreateLoadBalancer',
        'elasticloadbalancing:DeleteTargetGroup',
        'elasticloadbalancing:CreateRule',
        'ec2:CreateSecurityGroup',
        'ec2:DeleteSecurityGroup',
        'events:PutEvents',
      ]),
    );
    expect(actions).not.toContain('elasticloadbalancing:RegisterTargets');
  });
});

describe('IAM: the second wall (elbv2-wall.ts, policy-eval.ts)', () => {
  it('denies every ELBv2 write of every role on a load balancer, listener, rule or target group not ours', () => {
    const roles = resourcesOfType(template, 'AWS::IAM::Role').map(([id]) => id);
    const writers = roles.filter((id) => allowedElbv2Writes(roleStatements(template, id)).length > 0);
    expect(writers.sort()).toEqual(['StacksRole', 'TargetsRole']);
    for (const id of roles) expect(elbv2WallProblems(roleStatements(template, id)), id).toEqual([]);
  });

  it.each<[string, string[]]>([
    ['ingest', ['slbc.cluster']],
    ['targets', []],
    ['stacks', ['slbc.internal']],
    ['resync', ['slbc.cluster', 'slbc.internal']],
  ])('%s may put only %j on the bus', (name, sources) => {
    const statements = roleStatements(template, functionRoles(template)[name]!);
    for (const source of [CLUSTER_SOURCE, INTERNAL_SOURCE, 'aws.ec2']) {
      const request = {
        action: 'events:PutEvents',
        resources: [{ arn: 'GetAtt:EventBus.Arn' }],
        context: { 'events:source': [source] },
      };
      expect(evaluate(statements, request).allowed, `${name} puts ${source}`).toBe(sources.includes(source));
    }
  });
});

describe('IAM: every SDK call a bundle makes is granted to its function', () => {
  /**
   * Bundled but needing no grant: DynamoDBClient carries DescribeEndpoints for endpoint
   * discovery, which is off unless configured; GetCallerIdentity needs no permission (the
   * Kubernetes token presigns it); CreateTable and DescribeTable serve the local runtime's
   * ensureTable only, since in AWS the table comes from serverless.yml.
   */
  const NEEDS_NO_GRANT = new Set([
    'dynamodb:DescribeEndpoints',
    'sts:GetCallerIdentity',
    'dynamodb:CreateTable',
    'dynamodb:DescribeTable',
  ]);

  it.each(FUNCTIONS)(
    '%s',
    async (name) => {
      const used = (await sdkActions(`functions/${name}/handler.ts`)).filter((a) => !NEEDS_NO_GRANT.has(a));
      const granted = new Set(
        roleStatements(template, functionRoles(template)[name]!).flatMap((s) => asList(s.Action)),
      );
      console.log(`${name} calls:`, used.join(', ') || '(no AWS SDK calls yet)');
      expect(used.filter((action) => !granted.has(action))).toEqual([]);
    },
    60_000,
  );

  it('targets needs no EC2: its bundle calls none and its role grants none (the binding carries the VPC CIDRs)', async () => {
    const used = await sdkActions('functions/targets/handler.ts');
    expect(used.filter((action) => action.startsWith('ec2:'))).toEqual([]);
    const granted = roleStatements(template, functionRoles(template)['targets']!).flatMap((s) =>
      asList(s.Action),
    );
    expect(granted.filter((action) => String(action).startsWith('ec2:'))).toEqual([]);
  }, 60_000);
});

describe('functions', () => {
  const configNames = [
    ...new Set(readFileSync(join(REPO_ROOT, 'shared/config.ts'), 'utf8').match(/SLBC_[A-Z_]+/g)),
  ];

  it.each(FUNCTIONS)('%s: runtime, size, own role, every setting shared/config.ts reads', (name) => {
    const id = `${name[0]!.toUpperCase()}${name.slice(1)}LambdaFunction`;
    const fn = props(template, id);
    expect(fn.Runtime).toBe('nodejs22.x');
    expect(fn.Architectures).toEqual(['arm64']);
    expect(fn.MemorySize).toBeGreaterThanOrEqual(256);
    expect(fn.Timeout).toBeGreaterThan(3);
    const variables = (fn.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(configNames.length).toBeGreaterThanOrEqual(9);
    for (const variable of configNames) expect(variables, variable).toHaveProperty(variable);
    for (const variable of [
      'POWERTOOLS_SERVICE_NAME',
      'POWERTOOLS_LOG_LEVEL',
      'POWERTOOLS_METRICS_NAMESPACE',
    ]) {
      expect(variables, variable).toHaveProperty(variable);
    }
    // a work-queue lease must outlive the invocation that holds it
    expect(Number(variables.SLBC_LEASE_SECONDS)).toBeGreaterThan(fn.Timeout as number);
  });

  it('runs each function under a role of its own', () => {
    const roles = functionRoles(template);
    expect(Object.keys(roles).sort()).toEqual([...FUNCTIONS].sort());
    expect(new Set(Object.values(roles)).size).toBe(FUNCTIONS.length);
  });

  it.each(FUNCTIONS)('%s: async retries end in its own on-failure queue', (name) => {
    const id = `${name[0]!.toUpperCase()}${name.slice(1)}`;
    const config = props(template, `${id}LambdaEvConf`);
    expect(config.MaximumRetryAttempts).toBeLessThanOrEqual(2);
    expect(config.MaximumEventAgeInSeconds).toBeGreaterThanOrEqual(60);
    const destination = (config.DestinationConfig as { OnFailure: { Destination: unknown } }).OnFailure
      .Destination;
    expect(referencedId(destination)).toBe(`${id}FailureQueue`);
  });
});

describe('state table', () => {
  it('matches shared/state/table-definition.ts and is kept when the stack goes', () => {
    const table = resource(template, 'StateTable');
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
    const properties = table.Properties ?? {};
    expect(properties.KeySchema).toEqual(TABLE_DEFINITION.KeySchema);
    expect(properties.AttributeDefinitions).toEqual(TABLE_DEFINITION.AttributeDefinitions);
    expect(properties.BillingMode).toBe(TABLE_DEFINITION.BillingMode);
    expect(properties.TimeToLiveSpecification).toEqual(TABLE_DEFINITION.TimeToLiveSpecification);
    expect(properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(properties.GlobalSecondaryIndexes).toBeUndefined();
  });
});

describe('resync schedule', () => {
  it('invokes only resync, through a role that can do nothing else', () => {
    const schedule = props(template, 'ResyncSchedule');
    expect(schedule.ScheduleExpression).toBe('rate(5 minutes)');
    const target = schedule.Target as Record<string, unknown>;
    expect(referencedId(target.Arn)).toBe('ResyncLambdaFunction');
    expect(referencedId((target.DeadLetterConfig as { Arn: unknown }).Arn)).toBe('EventRuleDeadLetterQueue');
    const statements = roleStatements(template, referencedId(target.RoleArn)!);
    expect(statements.map((s) => [s.Action, referencedId(s.Resource)])).toEqual([
      ['lambda:InvokeFunction', 'ResyncLambdaFunction'],
      ['sqs:SendMessage', 'EventRuleDeadLetterQueue'],
    ]);
  });
});

describe('alarms and outputs', () => {
  it('alarms on every queue holding a message and on every function failing or throttled', () => {
    const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties ?? {});
    const watched = (metric: string) =>
      alarms
        .filter((alarm) => alarm.MetricName === metric)
        .map((alarm) => referencedId((alarm.Dimensions as { Value: unknown }[])[0]?.Value))
        .sort();
    const queues = resourcesOfType(template, 'AWS::SQS::Queue').map(([id]) => id);
    const functions = resourcesOfType(template, 'AWS::Lambda::Function').map(([id]) => id);
    expect(queues.length).toBe(7);
    // the re-check queue holds messages by design: only its dead letters are alarmed
    expect(watched('ApproximateNumberOfMessagesVisible')).toEqual(
      queues.filter((queue) => queue !== 'TargetsRecheckQueue').sort(),
    );
    expect(watched('Errors')).toEqual(functions.sort());
    expect(watched('Throttles')).toEqual(functions.sort());
    for (const alarm of alarms)
      expect((alarm.AlarmActions as { 'Fn::If': unknown[] })['Fn::If'][0]).toBe('HasAlarmTopic');
    // failures alarm on the first queued message, errors and throttles only when they persist
    for (const alarm of alarms.filter((a) =>
      ['Errors', 'Throttles', 'ApproximateNumberOfMessagesVisible'].includes(String(a.MetricName)),
    )) {
      expect(alarm.Threshold).toBe(0);
      expect(alarm.ComparisonOperator).toBe('GreaterThanThreshold');
      expect([alarm.DatapointsToAlarm ?? 1, alarm.EvaluationPeriods]).toEqual(
        alarm.MetricName === 'ApproximateNumberOfMessagesVisible' ? [1, 1] : [2, 3],
      );
    }
    // slbc's own health: registration lag and resync
    expect(
      alarms.map((alarm) => `${alarm.MetricName} ${alarm.ComparisonOperator} ${alarm.Threshold}`),
    ).toEqual(
      expect.arrayContaining([
        'TargetsRegistrationLag GreaterThanThreshold 120000',
        'ResyncFailedLists GreaterThanThreshold 0',
        'Invocations LessThanThreshold 1',
      ]),
    );
    expect(template.Parameters?.AlarmTopicArn?.Default).toBe('');
    expect(template.Conditions).toHaveProperty('HasAlarmTopic');
  });

  it('outputs the bus, archive, table and every queue URL', () => {
    const outputs = template.Outputs ?? {};
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining(['EventBusName', 'EventBusArn', 'EventArchiveName', 'StateTableName']),
    );
    const queueUrls = Object.values(outputs).map((output) => referencedId(output.Value));
    for (const [queue] of resourcesOfType(template, 'AWS::SQS::Queue')) expect(queueUrls).toContain(queue);
  });
});

describe('subscriptions per cluster', () => {
  const subscriptions = (t: CfnTemplate) =>
    resourcesOfType(t, 'AWS::Logs::SubscriptionFilter').map(([, r]) => r.Properties ?? {});

  it('subscribes the ingest function to the default cluster with the ingest filter pattern', () => {
    expect(subscriptions(template)).toEqual([
      expect.objectContaining({
        LogGroupName: '/aws/eks/demo/cluster',
        FilterPattern: INGEST_FILTER_PATTERN,
      }),
    ]);
  });

  it('creates no EKS access entry unless asked (accessEntries=false)', () => {
    expect(resourcesOfType(template, 'AWS::EKS::AccessEntry')).toEqual([]);
  });

  describe('with --param="clusters=a,b" --param="accessEntries=true"', () => {
    let twoClusters: CfnTemplate;
    beforeAll(() => {
      packageService({
        stage: 'ci',
        params: { clusters: 'a,b', accessEntries: 'true' },
        outDir: join(workDir, 'two'),
      });
      twoClusters = loadTemplate(join(workDir, 'two'));
    }, PACKAGE_TIMEOUT);

    it('gives two subscription filters and two CloudWatch Logs permissions', () => {
      const filters = subscriptions(twoClusters);
      expect(filters.map((f) => f.LogGroupName).sort()).toEqual(['/aws/eks/a/cluster', '/aws/eks/b/cluster']);
      for (const filter of filters) {
        expect(filter.FilterPattern).toBe(INGEST_FILTER_PATTERN);
        expect(referencedId(filter.DestinationArn)).toBe('IngestLambdaFunction');
      }
      const logPermissions = resourcesOfType(twoClusters, 'AWS::Lambda::Permission')
        .map(([, p]) => p.Properties ?? {})
        .filter((p) => p.Principal === 'logs.amazonaws.com');
      expect(logPermissions.map((p) => (p.SourceArn as { 'Fn::Sub': string })['Fn::Sub']).sort()).toEqual([
        `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/eks/a/cluster:*`,
        `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/eks/b/cluster:*`,
      ]);
      for (const permission of logPermissions)
        expect(referencedId(permission.FunctionName)).toBe('IngestLambdaFunction');
    });

    it('conditions every ownership check on both clusters', () => {
      const problems = resourcesOfType(twoClusters, 'AWS::IAM::Role').flatMap(([id]) =>
        roleStatements(twoClusters, id).flatMap((statement) => violations(statement, ['a', 'b'])),
      );
      expect(problems).toEqual([]);
    });

    it('maps resync, stacks and targets of each cluster to their own Kubernetes group, with no access policy', () => {
      const entries = resourcesOfType(twoClusters, 'AWS::EKS::AccessEntry').map(
        ([, r]) => r.Properties ?? {},
      );
      expect(
        entries
          .map((e) => `${e.ClusterName} ${referencedId(e.PrincipalArn)} ${asList(e.KubernetesGroups).join()}`)
          .sort(),
      ).toEqual([
        'a ResyncRole slbc-resync',
        'a StacksRole slbc-stacks',
        'a TargetsRole slbc-targets',
        'b ResyncRole slbc-resync',
        'b StacksRole slbc-stacks',
        'b TargetsRole slbc-targets',
      ]);
      for (const entry of entries) {
        expect(entry.Type).toBe('STANDARD');
        expect(entry.AccessPolicies).toBeUndefined();
      }
    });

    it('passes both clusters to the functions and to eks:DescribeCluster', () => {
      const fn = props(twoClusters, 'StacksLambdaFunction');
      expect((fn.Environment as { Variables: Record<string, unknown> }).Variables.SLBC_CLUSTERS).toBe('a,b');
      const describe = roleStatements(twoClusters, 'StacksRole').find(
        (s) => s.Action === 'eks:DescribeCluster',
      );
      expect(asList(describe?.Resource).map((r) => (r as { 'Fn::Sub': string })['Fn::Sub'])).toEqual([
        `arn:\${AWS::Partition}:eks:\${AWS::Region}:\${AWS::AccountId}:cluster/a`,
        `arn:\${AWS::Partition}:eks:\${AWS::Region}:\${AWS::AccountId}:cluster/b`,
      ]);
    });
  });
});

describe('local wiring read from serverless.yml', () => {
  it('agrees with the packaged template: bus, archive, rules, schedule, functions', () => {
    const wiring = readWiring({ stage: 'ci' });
    expect(wiring.busName).toBe(props(template, 'EventBus').Name);
    expect(wiring.tableName).toBe(props(template, 'StateTable').TableName);
    const archive = props(template, 'EventArchive');
    expect(wiring.archive).toEqual({
      name: archive.ArchiveName,
      eventPattern: archive.EventPattern,
      retentionDays: archive.RetentionDays,
    });
    const rules = resourcesOfType(template, 'AWS::Events::Rule');
    expect(wiring.rules.map((rule) => rule.logicalId).sort()).toEqual(rules.map(([id]) => id).sort());
    for (const rule of wiring.rules) {
      const packaged = props(template, rule.logicalId);
      expect(rule.eventPattern).toEqual(packaged.EventPattern);
      const targets = asList(packaged.Targets as Record<string, unknown>[]);
      expect(
        rule.targets.map((t) => `${t.function[0]!.toUpperCase()}${t.function.slice(1)}LambdaFunction`),
      ).toEqual(targets.map((t) => referencedId(t.Arn)));
      expect(rule.targets.map((t) => t.retryPolicy)).toEqual(targets.map((t) => t.RetryPolicy));
    }
    const schedule = props(template, 'ResyncSchedule');
    expect(wiring.schedule.expression).toBe(schedule.ScheduleExpression);
    expect(wiring.schedule.input).toBe((schedule.Target as { Input: string }).Input);
    for (const name of FUNCTIONS) {
      const fn = props(template, `${name[0]!.toUpperCase()}${name.slice(1)}LambdaFunction`);
      const wired = wiring.functions[name]!;
      expect([wired.timeoutSeconds, wired.memoryMb, wired.handler]).toEqual([
        fn.Timeout,
        fn.MemorySize,
        fn.Handler,
      ]);
      const variables = (fn.Environment as { Variables: Record<string, unknown> }).Variables;
      const resolved = Object.fromEntries(
        Object.entries(variables).map(([key, value]) => [
          key,
          referencedId(value) === 'EventBus'
            ? wiring.busName
            : referencedId(value) === 'StateTable'
              ? wiring.tableName
              : (wiring.queues[referencedId(value) ?? '']?.name ?? value),
        ]),
      );
      expect(wired.environment).toEqual(resolved);
    }
  });

  it('reads the re-check queue, its dead letters and the event source mapping as packaged', () => {
    const wiring = readWiring({ stage: 'ci' });
    const queue = props(template, 'TargetsRecheckQueue');
    expect(wiring.queues.TargetsRecheckQueue).toEqual({
      logicalId: 'TargetsRecheckQueue',
      name: queue.QueueName,
      visibilityTimeoutSeconds: queue.VisibilityTimeout,
      retentionSeconds: queue.MessageRetentionPeriod,
      redrive: { deadLetterQueue: 'TargetsRecheckDeadLetterQueue', maxReceiveCount: 5 },
    });
    const [, mapping] = resourcesOfType(template, 'AWS::Lambda::EventSourceMapping')[0]!;
    const mapped = mapping.Properties ?? {};
    expect(wiring.sqsSources).toEqual([
      {
        function: 'targets',
        queue: referencedId(mapped.EventSourceArn),
        batchSize: mapped.BatchSize,
        reportBatchItemFailures: (mapped.FunctionResponseTypes as string[]).includes(
          'ReportBatchItemFailures',
        ),
        maximumConcurrency: (mapped.ScalingConfig as { MaximumConcurrency: number }).MaximumConcurrency,
      },
    ]);
    // a message must not come back while its batch still runs: Lambda advises six times the timeout
    expect(wiring.queues.TargetsRecheckQueue!.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(
      6 * wiring.functions.targets!.timeoutSeconds,
    );
  });

  it('applies --param overrides as the Framework does', () => {
    const wiring = readWiring({ stage: 'ci', params: { clusters: 'a,b', resyncRate: 'rate(1 minute)' } });
    expect(wiring.functions.stacks?.environment.SLBC_CLUSTERS).toBe('a,b');
    expect(wiring.schedule.expression).toBe('rate(1 minute)');
  });
});

describe('bundles', () => {
  /** every module of a zip, lazy chunks included: a client bundled with all its commands is MBs */
  const TOTAL_KB_BUDGET = 2048;
  /** the SDK clients importing the handler loads; the rest come with import() on first call */
  const EAGER_CLIENTS = {
    ingest: ['client-eventbridge'],
    targets: ['client-dynamodb', 'client-elastic-load-balancing-v2'],
    stacks: ['client-dynamodb', 'client-elastic-load-balancing-v2'],
    resync: ['client-dynamodb', 'client-eks', 'client-eventbridge'],
  } as const;
  const LAZY_CLIENTS = {
    ingest: [],
    targets: ['client-eks', 'client-sqs'],
    stacks: ['client-ec2', 'client-eks', 'client-eventbridge', 'client-shield', 'client-wafv2'],
    resync: [],
  } as const;

  const bundles = () => readBundles(join(workDir, 'default'));
  const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;

  it('packages each function as its handler module and chunks beside it, its own only, each with its source map', () => {
    const all = bundles();
    expect(all.map((b) => b.name)).toEqual([...FUNCTIONS].sort());
    console.log(
      'bundles (KB loaded by importing the handler / KB of every module):',
      Object.fromEntries(all.map((b) => [b.name, `${kb(b.eagerBytes)} / ${kb(b.totalBytes)}`])),
    );
    for (const bundle of all) {
      expect(bundle.path).toBe(`functions/${bundle.name}/handler.mjs`);
      for (const path of bundle.files.keys()) {
        expect(path, `${bundle.name}.zip holds ${path}`).toMatch(
          new RegExp(`^functions/${bundle.name}/handler(\\.[\\w-]+)?\\.mjs(\\.map)?$`),
        );
        if (path.endsWith('.mjs')) expect(bundle.files.has(`${path}.map`), `${path}.map`).toBe(true);
      }
    }
  });

  it.each(FUNCTIONS)('%s: what importing the handler loads is within its budget', (name) => {
    const bundle = bundles().find((b) => b.name === name)!;
    expect(EAGER_KB_BUDGET[name], `a budget for ${name}`).toBeGreaterThan(0);
    expect(kb(bundle.eagerBytes), `${name} loads ${bundle.eager.join(', ')}`).toBeLessThan(
      EAGER_KB_BUDGET[name]!,
    );
    expect(kb(bundle.totalBytes)).toBeLessThan(TOTAL_KB_BUDGET);
  });

  it.each(FUNCTIONS)(
    '%s: loads only the SDK clients every invocation calls; the others on first call',
    (name) => {
      const bundle = bundles().find((b) => b.name === name)!;
      expect(sdkClientsIn(bundle, bundle.eager)).toEqual(EAGER_CLIENTS[name]);
      expect(sdkClientsIn(bundle, bundle.lazy)).toEqual(LAZY_CLIENTS[name]);
    },
  );

  it.each(FUNCTIONS)(
    '%s: importing the handler loads two files (the handler and one chunk) and no web streams',
    (name) => {
      const bundle = bundles().find((b) => b.name === name)!;
      // infra/deploy/esbuild-plugins.cjs: without its anchor, esbuild splits the eager code in a dozen
      expect(bundle.eager, `${name} loads ${bundle.eager.join(', ')}`).toHaveLength(2);
      const eagerCode = bundle.eager.map((path) => bundle.files.get(path)!.toString('utf8')).join('\n');
      expect(eagerCode).toContain('node:crypto');
      expect(eagerCode).not.toMatch(/["'](node:)?stream\/web["']/);
    },
  );

  it.each(FUNCTIONS)(
    '%s: no module holds an arrow function (serverless.yml `supported: arrow: false`)',
    (name) => {
      const bundle = bundles().find((b) => b.name === name)!;
      for (const path of [...bundle.eager, ...bundle.lazy]) {
        expect(arrowFunctionCount(bundle.files.get(path)!.toString('utf8')), path).toBe(0);
      }
    },
  );

  it.each(FUNCTIONS)(
    '%s: the handler and every import() chunk import with no node_modules, the handler exported',
    (name) => {
      const bundle = bundles().find((b) => b.name === name)!;
      expect(importEveryModule(bundle)).toEqual({ handlerType: 'function' });
    },
    30_000,
  );
});

describePackagedHandlers(
  (name) => readBundles(join(workDir, 'default')).find((bundle) => bundle.name === name)!,
);
