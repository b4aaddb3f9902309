/** The `aws` and `wipe` steps as the parser reads them, and the SDK check of `aws` actions. */
import { describe, expect, it } from 'vitest';
import { unknownAction } from '../../../infra/local/scenario/aws-call.js';
import { ScenarioError } from '../../../infra/local/scenario/errors.js';
import { parseScenario } from '../../../infra/local/scenario/parse.js';

const parse = (text: string) => parseScenario(text, { baseDir: '/nonexistent', source: 'test.yaml' });

function failure(text: string): ScenarioError {
  try {
    parse(text);
  } catch (error) {
    if (error instanceof ScenarioError) return error;
    throw error;
  }
  throw new Error('the scenario was accepted');
}

describe('aws and wipe steps', () => {
  it('reads an aws call with its input and expected error, and a wipe', () => {
    const scenario = parse(`
name: foreign
steps:
  - aws:
      service: elbv2
      action: CreateLoadBalancer
      input: { Name: theirs, Type: application, Subnets: [subnet-a, subnet-b] }
  - aws: { service: ec2, action: DescribeSubnets }
  - aws: { service: eventbridge, action: DescribeEventBus, input: { Name: nope }, expectError: ResourceNotFoundException }
    wait: false
  - wipe: {}
`);
    expect(scenario.steps).toEqual([
      {
        kind: 'aws',
        service: 'elbv2',
        action: 'CreateLoadBalancer',
        input: { Name: 'theirs', Type: 'application', Subnets: ['subnet-a', 'subnet-b'] },
        index: 0,
        wait: true,
      },
      { kind: 'aws', service: 'ec2', action: 'DescribeSubnets', input: {}, index: 1, wait: true },
      {
        kind: 'aws',
        service: 'eventbridge',
        action: 'DescribeEventBus',
        input: { Name: 'nope' },
        expectError: 'ResourceNotFoundException',
        index: 2,
        wait: false,
      },
      { kind: 'wipe', index: 3, wait: true },
    ]);
  });

  it.each([
    [
      'an unknown service',
      '{ aws: { service: s3, action: ListBuckets } }',
      'test.yaml: step 0 (aws): service: must be one of elbv2, ec2, eventbridge',
    ],
    [
      'an action the SDK client lacks',
      '{ aws: { service: elbv2, action: CreateBucket } }',
      'test.yaml: step 0 (aws): action: elbv2 has no action CreateBucket',
    ],
    [
      'an action that is no API name',
      '{ aws: { service: ec2, action: "describe-subnets" } }',
      'test.yaml: step 0 (aws): action: "describe-subnets" is not an API action name',
    ],
    [
      'input that is not a mapping',
      '{ aws: { service: ec2, action: DescribeSubnets, input: [1] } }',
      "test.yaml: step 0 (aws): input: must be a mapping of the call's parameters",
    ],
    ['no action', '{ aws: { service: ec2 } }', 'test.yaml: step 0 (aws): action: must be an API action name'],
    [
      'an unknown field',
      '{ aws: { service: ec2, action: DescribeSubnets, region: x } }',
      'region: unknown field(s)',
    ],
    ['fields on wipe', '{ wipe: { table: t } }', 'test.yaml: step 0 (wipe): table: unknown field(s): table'],
  ])('%s is refused naming the step and field', (_name, step, message) => {
    const error = failure(`name: x\nsteps: [ ${step} ]`);
    expect(error.message).toContain(message);
  });
});

describe('unknownAction', () => {
  it.each([
    ['elbv2', 'DescribeLoadBalancers', undefined],
    ['ec2', 'CreateSecurityGroup', undefined],
    ['eventbridge', 'PutEvents', undefined],
    ['ec2', 'CreateLoadBalancer', 'ec2 has no action CreateLoadBalancer'],
  ] as const)('%s %s', (service, action, expected) => {
    expect(unknownAction(service, action)).toBe(expected);
  });
});
