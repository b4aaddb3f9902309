import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { allowedElbv2Writes, elbv2WallProblems, UNSCOPABLE_ELBV2_WRITES } from './elbv2-wall.js';
import { evaluate, globMatch, type Request } from './policy-eval.js';
import { asList, type Statement } from './template.js';

/**
 * IAM as the second wall, proved on the statements infra/deploy/iam.cjs gives serverless.yml
 * (template.test.ts proves the same on the packaged template). Each mutation below removes or
 * widens one condition and must make the proof fail: the checker can fail.
 */

interface IamModule {
  stacksStatements(context: { resolveVariable: (name: string) => Promise<unknown> }): Promise<Statement[]>;
  putEventsFor: Record<'ingest' | 'resync', Statement>;
}

const iam = createRequire(import.meta.url)('../../../infra/deploy/iam.cjs') as IamModule;
const variables: Record<string, string> = {
  'param:clusters': 'demo',
  'self:service': 'slbc',
  'sls:stage': 'ci',
};
const context = { resolveVariable: async (name: string) => variables[name] };
const stacks = () => iam.stacksStatements(context);

describe('policy evaluator', () => {
  it.each<[string, string, boolean]>([
    ['elasticloadbalancing:Create*', 'elasticloadbalancing:CreateRule', true],
    ['elasticloadbalancing:createrule', 'elasticloadbalancing:CreateRule', true],
    ['arn:aws:x:*:1:listener/app/*/*/*', 'arn:aws:x:eu:1:listener/app/a/b/c', true],
    ['arn:aws:x:*:1:listener/app/*/*/*', 'arn:aws:x:eu:1:listener/net/a/b/c', false],
    ['a?c', 'abc', true],
    ['a?c', 'abbc', false],
  ])('%s matches %s: %s', (pattern, value, expected) => {
    expect(globMatch(pattern, value, true)).toBe(expected);
  });

  const tagged: Statement = {
    Effect: 'Allow',
    Action: 'elasticloadbalancing:DeleteRule',
    Resource: '*',
    Condition: { StringEquals: { 'aws:ResourceTag/k': 'v' } },
  };
  const request = (tags: Record<string, string>): Request => ({
    action: 'elasticloadbalancing:DeleteRule',
    resources: [{ arn: 'arn:aws:elasticloadbalancing:eu-west-1:1:listener-rule/app/a/b/c/d', tags }],
  });

  it.each<[string, Statement[], Record<string, string>, boolean]>([
    ['a matching tag', [tagged], { k: 'v' }, true],
    ['another value', [tagged], { k: 'w' }, false],
    ['no tag at all', [tagged], {}, false],
    [
      'a Deny over an Allow',
      [tagged, { ...tagged, Effect: 'Deny', Condition: undefined }],
      { k: 'v' },
      false,
    ],
    [
      'Null true on an absent key',
      [{ ...tagged, Condition: { Null: { 'aws:ResourceTag/k': 'true' } } }],
      {},
      true,
    ],
  ])('%s', (_name, statements, tags, allowed) => {
    expect(evaluate(statements, request(tags)).allowed).toBe(allowed);
  });

  it('refuses a condition operator it does not know', () => {
    const unknown = { ...tagged, Condition: { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01' } } };
    expect(() => evaluate([unknown], request({}))).toThrow(/DateGreaterThan/);
  });
});

describe('stacks role: no ELBv2 mutation on a load balancer that is not ours', () => {
  it('holds for every ELBv2 write the role allows', async () => {
    const statements = await stacks();
    expect(allowedElbv2Writes(statements)).toEqual(
      expect.arrayContaining([
        'elasticloadbalancing:CreateListener',
        'elasticloadbalancing:CreateRule',
        'elasticloadbalancing:ModifyRule',
        'elasticloadbalancing:DeleteListener',
        'elasticloadbalancing:AddTags',
      ]),
    );
    expect(elbv2WallProblems(statements)).toEqual([]);
  });

  it('leaves SetRulePriorities as the only unscopable write, on Resource "*" alone', async () => {
    const statements = await stacks();
    const onStar = statements.filter((s) => asList(s.Resource).includes('*'));
    const writes = allowedElbv2Writes(onStar);
    expect(writes).toEqual([...UNSCOPABLE_ELBV2_WRITES]);
  });

  /** Mutations of the real statements: each must break the proof. */
  const mutations: [string, (statements: Statement[]) => Statement[]][] = [
    [
      'listener changes without the tag condition',
      (s) => s.map((st) => (st.Sid === 'ChangeOnlyOwnedListeners' ? { ...st, Condition: undefined } : st)),
    ],
    [
      'rule changes without the tag condition',
      (s) => s.map((st) => (st.Sid === 'ChangeOnlyOwnedRules' ? { ...st, Condition: undefined } : st)),
    ],
    [
      'CreateRule granted on listeners by request tag only',
      (s) =>
        s.map((st) =>
          st.Sid === 'NewRulesCarryOurClusterTag'
            ? {
                ...st,
                Resource: [
                  ...asList(st.Resource),
                  ...asList(s.find((x) => x.Sid === 'ChangeOnlyOwnedListeners')?.Resource),
                ],
              }
            : st,
        ),
    ],
    [
      'CreateListener without the load balancer tag',
      (s) =>
        s.map((st) =>
          st.Sid === 'CreateListenersOnOwnedLoadBalancers'
            ? { ...st, Condition: { StringEquals: { 'aws:RequestTag/elbv2.k8s.aws/cluster': ['demo'] } } }
            : st,
        ),
    ],
    [
      'retagging that may touch the cluster key',
      (s) =>
        s.map((st) =>
          st.Sid === 'RetagOwnedButNeverTheClusterTag'
            ? { ...st, Condition: { StringEquals: st.Condition?.StringEquals ?? {} } }
            : st,
        ),
    ],
    [
      'load balancer changes on a presence-only tag check (as the LBC policy)',
      (s) =>
        s.map((st) =>
          st.Sid === 'ChangeOnlyOwnedLoadBalancersAndTargetGroups'
            ? { ...st, Condition: { Null: { 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false' } } }
            : st,
        ),
    ],
    [
      'the listener statements dropped altogether',
      (s) => s.filter((st) => st.Sid !== 'CreateRulesOnOwnedListeners'),
    ],
    [
      'a new unmodelled ELBv2 write',
      (s) => [...s, { Effect: 'Allow', Action: 'elasticloadbalancing:ModifyIpPools', Resource: '*' }],
    ],
  ];

  it.each(mutations)('fails when %s', async (_name, mutate) => {
    expect(elbv2WallProblems(mutate(await stacks())).length).toBeGreaterThan(0);
  });
});

describe('PutEvents only for the function own sources', () => {
  const put = (source: string[]): Request => ({
    action: 'events:PutEvents',
    resources: [{ arn: 'GetAtt:EventBus.Arn' }],
    context: { 'events:source': source },
  });

  it.each<[string, () => Promise<Statement[]>, string[], boolean]>([
    ['ingest: cluster changes', async () => [iam.putEventsFor.ingest], ['slbc.cluster'], true],
    ['ingest: an internal event', async () => [iam.putEventsFor.ingest], ['slbc.internal'], false],
    [
      'ingest: a batch with one foreign entry',
      async () => [iam.putEventsFor.ingest],
      ['slbc.cluster', 'aws.ec2'],
      false,
    ],
    ['ingest: no source at all', async () => [iam.putEventsFor.ingest], [], false],
    ['resync: both sources', async () => [iam.putEventsFor.resync], ['slbc.cluster', 'slbc.internal'], true],
    ['stacks: Target Group Bound', stacks, ['slbc.internal'], true],
    ['stacks: a cluster change', stacks, ['slbc.cluster'], false],
  ])('%s -> %s', async (_name, statements, source, allowed) => {
    const request = put(source);
    if (source.length === 0) request.context = {};
    expect(evaluate(await statements(), request).allowed).toBe(allowed);
  });
});
