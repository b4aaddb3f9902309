import { describe, expect, it } from 'vitest';
import {
  createAlb,
  createListener,
  createNlb,
  createRule,
  createTargetGroup,
  fixed,
  forwardTo,
  VPC_ID,
  type World,
  world,
} from './fixture.js';

type Listeners = { Listeners: Record<string, unknown>[]; NextMarker?: string };
type Rules = {
  Rules: { RuleArn: string; Priority: string; IsDefault: boolean; [key: string]: unknown }[];
  NextMarker?: string;
};

const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/0b1c2d3e';

function rulesOf(w: World, listener: string) {
  return w.call<Rules>('DescribeRules', { ListenerArn: listener }).Rules;
}

describe('CreateListener', () => {
  it('creates a listener with its default rule and AWS-shaped ARNs', () => {
    const w = world();
    const alb = createAlb(w);
    const group = createTargetGroup(w);
    const [listener] = w.call<Listeners>('CreateListener', {
      LoadBalancerArn: alb,
      Protocol: 'HTTP',
      Port: '80',
      DefaultActions: forwardTo(group),
    }).Listeners;
    expect(listener).toMatchObject({
      LoadBalancerArn: alb,
      Port: 80,
      Protocol: 'HTTP',
      Certificates: [],
      DefaultActions: [
        {
          Type: 'forward',
          Order: 1,
          TargetGroupArn: group,
          ForwardConfig: {
            TargetGroups: [{ TargetGroupArn: group, Weight: 1 }],
            TargetGroupStickinessConfig: { Enabled: false },
          },
        },
      ],
    });
    expect(listener!.ListenerArn).toMatch(/:listener\/app\/web\/[0-9a-f]{16}\/[0-9a-f]{16}$/);
    const [defaultRule] = rulesOf(w, listener!.ListenerArn as string);
    expect(defaultRule).toMatchObject({ Priority: 'default', IsDefault: true, Conditions: [] });
    expect(defaultRule!.RuleArn).toMatch(
      /:listener-rule\/app\/web\/[0-9a-f]{16}\/[0-9a-f]{16}\/[0-9a-f]{16}$/,
    );
  });

  it('gives HTTPS listeners the default SSL policy', () => {
    const w = world();
    const [listener] = w.call<Listeners>('CreateListener', {
      LoadBalancerArn: createAlb(w),
      Protocol: 'HTTPS',
      Port: '443',
      Certificates: [{ CertificateArn: CERT }],
      DefaultActions: fixed('404'),
    }).Listeners;
    expect(listener).toMatchObject({
      SslPolicy: 'ELBSecurityPolicy-2016-08',
      Certificates: [{ CertificateArn: CERT }],
    });
  });

  it.each([
    ['a port already in use', { Port: '80' }, 'DuplicateListener'],
    ['TCP on an ALB', { Port: '81', Protocol: 'TCP' }, 'UnsupportedProtocol'],
    ['HTTPS without a certificate', { Port: '443', Protocol: 'HTTPS' }, 'ValidationError'],
    [
      'HTTPS with a malformed certificate ARN',
      { Port: '443', Protocol: 'HTTPS', Certificates: [{ CertificateArn: 'cert-1' }] },
      'CertificateNotFound',
    ],
    [
      'an unknown SSL policy',
      { Port: '443', Protocol: 'HTTPS', Certificates: [{ CertificateArn: CERT }], SslPolicy: 'Strong' },
      'SSLPolicyNotFound',
    ],
    ['a certificate on HTTP', { Port: '81', Certificates: [{ CertificateArn: CERT }] }, 'ValidationError'],
    ['a port of 0', { Port: '0' }, 'ValidationError'],
    ['no default actions', { Port: '81', DefaultActions: [] }, 'ValidationError'],
    [
      'an unknown target group',
      {
        Port: '81',
        DefaultActions: forwardTo('arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/x/1'),
      },
      'TargetGroupNotFound',
    ],
    ['a fixed response of 302', { Port: '81', DefaultActions: fixed('302') }, 'ValidationError'],
    [
      'a redirect to the same URL',
      { Port: '81', DefaultActions: [{ Type: 'redirect', RedirectConfig: { StatusCode: 'HTTP_301' } }] },
      'InvalidLoadBalancerAction',
    ],
    [
      'a redirect without a status code',
      { Port: '81', DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS' } }] },
      'ValidationError',
    ],
    [
      'an authenticate action',
      { Port: '81', DefaultActions: [{ Type: 'authenticate-oidc' }] },
      'InvalidLoadBalancerAction',
    ],
    [
      'two terminal actions',
      { Port: '81', DefaultActions: [...fixed('404'), { ...fixed('503')[0], Order: '2' }] },
      'TooManyActions',
    ],
  ])('rejects %s', (_name, input, code) => {
    const w = world();
    const alb = createAlb(w);
    createListener(w, alb);
    const base: Record<string, unknown> = {
      LoadBalancerArn: alb,
      Protocol: 'HTTP',
      Port: '80',
      DefaultActions: fixed('404'),
    };
    expect(w.errorOf('CreateListener', { ...base, ...input }).code).toBe(code);
  });

  it.each([
    ['a TCP target group behind an ALB', 'application', { Protocol: 'TCP' }, 'InvalidConfigurationRequest'],
    ['an HTTP target group behind an NLB', 'network', { Protocol: 'HTTP' }, 'InvalidConfigurationRequest'],
    ['a UDP target group behind a TCP listener', 'network', { Protocol: 'UDP' }, 'IncompatibleProtocols'],
  ])('rejects %s', (_name, type, groupInput, code) => {
    const w = world();
    const balancer = type === 'application' ? createAlb(w) : createNlb(w);
    const group = createTargetGroup(w, groupInput);
    const protocol = type === 'application' ? 'HTTP' : 'TCP';
    expect(
      w.errorOf('CreateListener', {
        LoadBalancerArn: balancer,
        Protocol: protocol,
        Port: '80',
        DefaultActions: forwardTo(group),
      }).code,
    ).toBe(code);
  });

  it('refuses a target group already used by another load balancer (TargetGroupAssociationLimit)', () => {
    const w = world();
    const group = createTargetGroup(w);
    createListener(w, createAlb(w), { DefaultActions: forwardTo(group) });
    const other = createAlb(w, { Name: 'other' });
    expect(
      w.errorOf('CreateListener', {
        LoadBalancerArn: other,
        Protocol: 'HTTP',
        Port: '80',
        DefaultActions: forwardTo(group),
      }).code,
    ).toBe('TargetGroupAssociationLimit');
  });

  it('answers TooManyUniqueTargetGroupsPerLoadBalancer past the quota', () => {
    const w = world({ targetGroupsPerLoadBalancer: 1 });
    const alb = createAlb(w);
    const listener = createListener(w, alb, {
      DefaultActions: forwardTo(createTargetGroup(w, { Name: 'a' })),
    });
    const other = createTargetGroup(w, { Name: 'b' });
    const rule = {
      ListenerArn: listener,
      Priority: '1',
      Conditions: [{ Field: 'path-pattern', Values: ['/b'] }],
    };
    expect(w.errorOf('CreateRule', { ...rule, Actions: forwardTo(other) }).code).toBe(
      'TooManyUniqueTargetGroupsPerLoadBalancer',
    );
    const again = w.call<Listeners>('DescribeListeners', { ListenerArns: [listener] }).Listeners[0]!;
    const sameGroup = (again.DefaultActions as { TargetGroupArn: string }[])[0]!.TargetGroupArn;
    expect(w.call<Rules>('CreateRule', { ...rule, Actions: forwardTo(sameGroup) }).Rules).toHaveLength(1);
  });

  it('answers TooManyListeners past the quota', () => {
    const w = world({ listenersPerLoadBalancer: 1 });
    const alb = createAlb(w);
    createListener(w, alb);
    expect(
      w.errorOf('CreateListener', {
        LoadBalancerArn: alb,
        Protocol: 'HTTP',
        Port: '81',
        DefaultActions: fixed('404'),
      }).code,
    ).toBe('TooManyListeners');
  });

  it('accepts weighted forwarding to up to five groups and answers TooManyTargetGroups beyond', () => {
    const w = world();
    const alb = createAlb(w);
    const groups = Array.from({ length: 6 }, (_, index) => createTargetGroup(w, { Name: `g${index}` }));
    const weighted = (count: number) => [
      {
        Type: 'forward',
        ForwardConfig: {
          TargetGroups: groups.slice(0, count).map((arn) => ({ TargetGroupArn: arn, Weight: '10' })),
        },
      },
    ];
    const [listener] = w.call<Listeners>('CreateListener', {
      LoadBalancerArn: alb,
      Protocol: 'HTTP',
      Port: '80',
      DefaultActions: weighted(5),
    }).Listeners;
    const action = (listener!.DefaultActions as Record<string, unknown>[])[0]!;
    expect(action.TargetGroupArn).toBeUndefined();
    expect((action.ForwardConfig as { TargetGroups: unknown[] }).TargetGroups).toHaveLength(5);
    expect(
      w.errorOf('CreateListener', {
        LoadBalancerArn: alb,
        Protocol: 'HTTP',
        Port: '81',
        DefaultActions: weighted(6),
      }).code,
    ).toBe('TooManyTargetGroups');
  });
});

describe('DescribeListeners, ModifyListener, DeleteListener', () => {
  it('describes by load balancer with paging and by ARN', () => {
    const w = world();
    const alb = createAlb(w);
    const arns = ['80', '81', '82'].map((port) => createListener(w, alb, { Port: port }));
    const first = w.call<Listeners>('DescribeListeners', { LoadBalancerArn: alb, PageSize: '2' });
    const second = w.call<Listeners>('DescribeListeners', {
      LoadBalancerArn: alb,
      PageSize: '2',
      Marker: first.NextMarker,
    });
    expect([...first.Listeners, ...second.Listeners].map((listener) => listener.ListenerArn)).toEqual(arns);
    expect(w.call<Listeners>('DescribeListeners', { ListenerArns: [arns[1]] }).Listeners[0]!.Port).toBe(81);
  });

  it.each([
    [
      'an unknown listener ARN',
      { ListenerArns: ['arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/x/1/2'] },
      'ListenerNotFound',
    ],
    [
      'an unknown load balancer',
      { LoadBalancerArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/x/1' },
      'LoadBalancerNotFound',
    ],
    ['neither filter', {}, 'ValidationError'],
  ])('answers %s with its AWS code', (_name, input, code) => {
    expect(world().errorOf('DescribeListeners', input).code).toBe(code);
  });

  it('modifies port, protocol and default actions, and keeps port uniqueness', () => {
    const w = world();
    const alb = createAlb(w);
    const listener = createListener(w, alb);
    createListener(w, alb, { Port: '8080' });
    const group = createTargetGroup(w);
    const [changed] = w.call<Listeners>('ModifyListener', {
      ListenerArn: listener,
      Port: '443',
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: CERT }],
      DefaultActions: forwardTo(group),
    }).Listeners;
    expect(changed).toMatchObject({ Port: 443, Protocol: 'HTTPS', SslPolicy: 'ELBSecurityPolicy-2016-08' });
    expect(rulesOf(w, listener)[0]!.Actions).toEqual(changed!.DefaultActions);
    expect(w.errorOf('ModifyListener', { ListenerArn: listener, Port: '8080' }).code).toBe(
      'DuplicateListener',
    );
    expect(
      w.errorOf('ModifyListener', {
        ListenerArn: listener,
        Protocol: 'HTTP',
        Certificates: [{ CertificateArn: CERT }],
      }).code,
    ).toBe('ValidationError');
  });

  it('re-checks kept default actions when the protocol changes (NLB TCP to UDP with a TCP group)', () => {
    const w = world();
    const group = createTargetGroup(w, { Protocol: 'TCP' });
    const listener = createListener(w, createNlb(w), { Protocol: 'TCP', DefaultActions: forwardTo(group) });
    expect(w.errorOf('ModifyListener', { ListenerArn: listener, Protocol: 'UDP' }).code).toBe(
      'IncompatibleProtocols',
    );
    expect(w.call<Listeners>('DescribeListeners', { ListenerArns: [listener] }).Listeners[0]!.Protocol).toBe(
      'TCP',
    );
  });

  it('deletes a listener and its rules, and answers ListenerNotFound afterwards', () => {
    const w = world();
    const listener = createListener(w, createAlb(w));
    const rule = createRule(w, listener, 5);
    w.call('DeleteListener', { ListenerArn: listener });
    expect(w.errorOf('DeleteListener', { ListenerArn: listener }).code).toBe('ListenerNotFound');
    expect(w.errorOf('DescribeRules', { RuleArns: [rule] }).code).toBe('RuleNotFound');
  });
});

describe('CreateRule', () => {
  it('creates a rule in AWS shape, listed by priority before the default rule', () => {
    const w = world();
    const listener = createListener(w, createAlb(w));
    const group = createTargetGroup(w);
    createRule(w, listener, 20);
    const arn = createRule(w, listener, 3, {
      Conditions: [
        { Field: 'host-header', HostHeaderConfig: { Values: ['*.example.com'] } },
        { Field: 'path-pattern', Values: ['/api', '/api/*'] },
      ],
      Actions: forwardTo(group),
    });
    const rules = rulesOf(w, listener);
    expect(rules.map((rule) => rule.Priority)).toEqual(['3', '20', 'default']);
    expect(rules[0]).toMatchObject({
      RuleArn: arn,
      IsDefault: false,
      Conditions: [
        { Field: 'host-header', Values: ['*.example.com'], HostHeaderConfig: { Values: ['*.example.com'] } },
        {
          Field: 'path-pattern',
          Values: ['/api', '/api/*'],
          PathPatternConfig: { Values: ['/api', '/api/*'] },
        },
      ],
    });
  });

  const path = (value: string) => ({ Field: 'path-pattern', Values: [value] });
  it.each([
    ['priority 0', { Priority: '0' }, 'ValidationError'],
    ['priority 50001', { Priority: '50001' }, 'ValidationError'],
    ['a missing priority', { Priority: undefined }, 'ValidationError'],
    ['a priority in use', { Priority: '1' }, 'PriorityInUse'],
    ['no conditions', { Conditions: [] }, 'ValidationError'],
    ['two path-pattern conditions', { Conditions: [path('/a'), path('/b')] }, 'ValidationError'],
    [
      'two host-header conditions',
      {
        Conditions: [
          { Field: 'host-header', Values: ['a.io'] },
          { Field: 'host-header', Values: ['b.io'] },
        ],
      },
      'ValidationError',
    ],
    [
      'two http-request-method conditions',
      {
        Conditions: [1, 2].map(() => ({
          Field: 'http-request-method',
          HttpRequestMethodConfig: { Values: ['GET'] },
        })),
      },
      'ValidationError',
    ],
    [
      'two source-ip conditions',
      { Conditions: [1, 2].map(() => ({ Field: 'source-ip', SourceIpConfig: { Values: ['10.0.0.0/8'] } })) },
      'ValidationError',
    ],
    [
      'four values in one condition',
      { Conditions: [{ Field: 'path-pattern', Values: ['/a', '/b', '/c', '/d'] }] },
      'ValidationError',
    ],
    [
      'six values across conditions',
      {
        Conditions: [
          { Field: 'path-pattern', Values: ['/a', '/b', '/c'] },
          { Field: 'host-header', Values: ['a.io', 'b.io', 'c.io'] },
        ],
      },
      'ValidationError',
    ],
    ['an empty value', { Conditions: [path('')] }, 'ValidationError'],
    [
      'a host with a slash',
      { Conditions: [{ Field: 'host-header', Values: ['a.io/x'] }] },
      'ValidationError',
    ],
    ['a path longer than 128', { Conditions: [path(`/${'a'.repeat(128)}`)] }, 'ValidationError'],
    ['an unknown field', { Conditions: [{ Field: 'cookie', Values: ['x'] }] }, 'ValidationError'],
    [
      'a bad source CIDR',
      { Conditions: [{ Field: 'source-ip', SourceIpConfig: { Values: ['10.0.0.0/33'] } }] },
      'ValidationError',
    ],
    [
      'a lower-case method',
      { Conditions: [{ Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['get'] } }] },
      'ValidationError',
    ],
    [
      'an invalid regex',
      { Conditions: [{ Field: 'path-pattern', PathPatternConfig: { RegexValues: ['(('] } }] },
      'ValidationError',
    ],
    [
      'an unknown target group',
      { Actions: forwardTo('arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/x/1') },
      'TargetGroupNotFound',
    ],
    [
      'an unknown listener',
      { ListenerArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/x/1/2' },
      'ListenerNotFound',
    ],
  ])('rejects %s', (_name, input, code) => {
    const w = world();
    const listener = createListener(w, createAlb(w));
    createRule(w, listener, 1);
    expect(
      w.errorOf('CreateRule', {
        ListenerArn: listener,
        Priority: '2',
        Conditions: [path('/x')],
        Actions: fixed('200'),
        ...input,
      }).code,
    ).toBe(code);
  });

  it('allows several http-header and query-string conditions in one rule', () => {
    const w = world();
    const listener = createListener(w, createAlb(w));
    createRule(w, listener, 1, {
      Conditions: [
        { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-A', Values: ['1'] } },
        { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-B', Values: ['2'] } },
        { Field: 'query-string', QueryStringConfig: { Values: [{ Key: 'v', Value: '1' }] } },
        { Field: 'query-string', QueryStringConfig: { Values: [{ Value: 'beta' }] } },
      ],
    });
    expect(rulesOf(w, listener)[0]!.Conditions).toHaveLength(4);
  });

  it('answers TooManyRules past the per-load-balancer quota, counting every listener and not the defaults', () => {
    const w = world({ rulesPerLoadBalancer: 3 });
    const alb = createAlb(w);
    const first = createListener(w, alb);
    const second = createListener(w, alb, { Port: '81' });
    createRule(w, first, 1);
    createRule(w, first, 2);
    createRule(w, second, 1);
    expect(
      w.errorOf('CreateRule', {
        ListenerArn: second,
        Priority: '2',
        Conditions: [path('/x')],
        Actions: fixed('200'),
      }).code,
    ).toBe('TooManyRules');
  });

  it('refuses rules on a Network Load Balancer listener', () => {
    const w = world();
    const group = createTargetGroup(w, { Protocol: 'TCP' });
    const listener = createListener(w, createNlb(w), { Protocol: 'TCP', DefaultActions: forwardTo(group) });
    expect(
      w.errorOf('CreateRule', {
        ListenerArn: listener,
        Priority: '1',
        Conditions: [path('/x')],
        Actions: forwardTo(group),
      }).code,
    ).toBe('InvalidConfigurationRequest');
  });
});

describe('ModifyRule, DeleteRule, SetRulePriorities', () => {
  function threeRules() {
    const w = world();
    const listener = createListener(w, createAlb(w));
    const arns = [1, 2, 3].map((priority) => createRule(w, listener, priority));
    const defaultRule = rulesOf(w, listener).find((rule) => rule.IsDefault)!.RuleArn;
    return { w, listener, arns: arns as [string, string, string], defaultRule };
  }

  it('replaces conditions and actions that are given and keeps the rest', () => {
    const { w, arns } = threeRules();
    const [rule] = w.call<Rules>('ModifyRule', {
      RuleArn: arns[0],
      Conditions: [{ Field: 'path-pattern', Values: ['/new'] }],
    }).Rules;
    expect(rule).toMatchObject({
      Priority: '1',
      Conditions: [{ Field: 'path-pattern', Values: ['/new'] }],
      Actions: [{ Type: 'fixed-response' }],
    });
  });

  it.each([
    [
      'ModifyRule on the default rule',
      'ModifyRule',
      (_arns: string[], defaultRule: string) => ({ RuleArn: defaultRule, Actions: fixed('200') }),
      'OperationNotPermitted',
    ],
    [
      'DeleteRule on the default rule',
      'DeleteRule',
      (_arns: string[], defaultRule: string) => ({ RuleArn: defaultRule }),
      'OperationNotPermitted',
    ],
    [
      'SetRulePriorities on the default rule',
      'SetRulePriorities',
      (_arns: string[], defaultRule: string) => ({
        RulePriorities: [{ RuleArn: defaultRule, Priority: '9' }],
      }),
      'OperationNotPermitted',
    ],
    [
      'DeleteRule on an unknown rule',
      'DeleteRule',
      (arns: string[]) => ({ RuleArn: `${arns[0]}0` }),
      'RuleNotFound',
    ],
    [
      'ModifyRule on an unknown rule',
      'ModifyRule',
      (arns: string[]) => ({ RuleArn: `${arns[0]}0`, Actions: fixed('200') }),
      'RuleNotFound',
    ],
    [
      'a priority taken by a rule that does not move',
      'SetRulePriorities',
      (arns: string[]) => ({ RulePriorities: [{ RuleArn: arns[0], Priority: '2' }] }),
      'PriorityInUse',
    ],
    [
      'two rules moved to one priority',
      'SetRulePriorities',
      (arns: string[]) => ({
        RulePriorities: [
          { RuleArn: arns[0], Priority: '7' },
          { RuleArn: arns[1], Priority: '7' },
        ],
      }),
      'PriorityInUse',
    ],
    [
      'a priority of 50001',
      'SetRulePriorities',
      (arns: string[]) => ({ RulePriorities: [{ RuleArn: arns[0], Priority: '50001' }] }),
      'ValidationError',
    ],
    [
      'an unknown rule among good ones',
      'SetRulePriorities',
      (arns: string[]) => ({
        RulePriorities: [
          { RuleArn: arns[0], Priority: '9' },
          { RuleArn: `${arns[1]}0`, Priority: '8' },
        ],
      }),
      'RuleNotFound',
    ],
  ])('answers %s with %s', (_name, action, input, code) => {
    const { w, arns, defaultRule, listener } = threeRules();
    const before = rulesOf(w, listener).map((rule) => rule.Priority);
    expect(w.errorOf(action, input(arns, defaultRule)).code).toBe(code);
    expect(rulesOf(w, listener).map((rule) => rule.Priority)).toEqual(before);
  });

  it('swaps priorities in one call, as the new order has no conflict', () => {
    const { w, listener, arns } = threeRules();
    const out = w.call<Rules>('SetRulePriorities', {
      RulePriorities: [
        { RuleArn: arns[0], Priority: '3' },
        { RuleArn: arns[2], Priority: '1' },
      ],
    });
    expect(out.Rules.map((rule) => [rule.RuleArn, rule.Priority])).toEqual([
      [arns[0], '3'],
      [arns[2], '1'],
    ]);
    expect(rulesOf(w, listener).map((rule) => rule.RuleArn)).toEqual([
      arns[2],
      arns[1],
      arns[0],
      expect.any(String),
    ]);
  });

  it('deletes a rule', () => {
    const { w, listener, arns } = threeRules();
    w.call('DeleteRule', { RuleArn: arns[1] });
    expect(rulesOf(w, listener).map((rule) => rule.Priority)).toEqual(['1', '3', 'default']);
  });

  it('pages DescribeRules and finds rules by ARN', () => {
    const { w, listener, arns } = threeRules();
    const first = w.call<Rules>('DescribeRules', { ListenerArn: listener, PageSize: '3' });
    expect(first.Rules).toHaveLength(3);
    const second = w.call<Rules>('DescribeRules', {
      ListenerArn: listener,
      PageSize: '3',
      Marker: first.NextMarker,
    });
    expect(second.Rules.map((rule) => rule.IsDefault)).toEqual([true]);
    expect(w.call<Rules>('DescribeRules', { RuleArns: [arns[2]] }).Rules[0]!.Priority).toBe('3');
  });
});

describe('target group usage follows listeners and rules', () => {
  it('lists the load balancer on a group used only by a rule, and frees it when the rule goes', () => {
    const w = world();
    const alb = createAlb(w);
    const listener = createListener(w, alb);
    const group = createTargetGroup(w, { Name: 'ruled', Port: '80', VpcId: VPC_ID });
    const rule = createRule(w, listener, 1, { Actions: forwardTo(group) });
    const describe = () =>
      w.call<{ TargetGroups: { LoadBalancerArns: string[] }[] }>('DescribeTargetGroups', {
        TargetGroupArns: [group],
      }).TargetGroups[0]!;
    expect(describe().LoadBalancerArns).toEqual([alb]);
    w.call('DeleteRule', { RuleArn: rule });
    expect(describe().LoadBalancerArns).toEqual([]);
  });
});
