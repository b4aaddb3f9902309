import { describe, expect, it } from 'vitest';
import { progressBar, renderTopology } from '../../../infra/cli/printer.js';
import type { TargetGroupView, TopologyView } from '../../../infra/view/topology.js';

const group = (name: string, targets: TargetGroupView['targets']): TargetGroupView => ({
  arn: `arn:tg/${name}`,
  name,
  protocol: 'HTTP',
  port: 8080,
  targetType: 'ip',
  targets,
});

const VIEW: TopologyView = {
  loadBalancers: [
    {
      arn: 'arn:lb/a',
      name: 'k8s-demo-abc',
      type: 'application',
      scheme: 'internal',
      dnsName: 'internal-k8s-demo-abc.eu-west-1.elb.amazonaws.com',
      state: 'active',
      listeners: [
        {
          arn: 'arn:listener/80',
          protocol: 'HTTP',
          port: 80,
          rules: [
            {
              priority: '1',
              conditions: ['host-header=shop.example.com'],
              actions: ['forward'],
              targetGroups: [
                group('tg-shop', [
                  { id: '10.0.16.4', port: 8080, state: 'healthy' },
                  { id: '10.0.32.4', port: 8080, state: 'initial', reason: 'Elb.InitialHealthChecking' },
                ]),
              ],
            },
            { priority: 'default', conditions: [], actions: ['fixed-response 404'], targetGroups: [] },
          ],
        },
      ],
    },
  ],
  orphanTargetGroups: [group('tg-left', [])],
  statuses: [
    { kind: 'Ingress', key: 'demo/shop', hostnames: ['internal-k8s-demo-abc.eu-west-1.elb.amazonaws.com'] },
    { kind: 'Service', key: 'demo/echo', hostnames: [] },
  ],
};

describe('renderTopology', () => {
  it('draws load balancer -> listener -> rule -> target group -> targets with health, then statuses', () => {
    expect(renderTopology(VIEW).split('\n')).toEqual([
      'ALB k8s-demo-abc  internal  active  internal-k8s-demo-abc.eu-west-1.elb.amazonaws.com',
      '└─ HTTP:80',
      '   ├─ 1  host-header=shop.example.com  -> forward',
      '   │  └─ TG tg-shop  HTTP:8080 ip  (2 targets)',
      '   │     ├─ 10.0.16.4:8080  healthy',
      '   │     └─ 10.0.32.4:8080  initial (Elb.InitialHealthChecking)',
      '   └─ default  -> fixed-response 404',
      'target groups no listener uses:',
      '└─ TG tg-left  HTTP:8080 ip  (0 targets)',
      '',
      'Ingress demo/shop: internal-k8s-demo-abc.eu-west-1.elb.amazonaws.com',
      'Service demo/echo: (no hostname yet)',
    ]);
  });

  it('says so when there is nothing', () => {
    expect(renderTopology({ loadBalancers: [], orphanTargetGroups: [], statuses: [] })).toBe(
      '(no load balancers)',
    );
  });
});

describe('progressBar', () => {
  it.each([
    [0, '[----------] 0%'],
    [0.35, '[####------] 35%'],
    [1, '[##########] 100%'],
    [7, '[##########] 100%'],
    [Number.NaN, '[----------] 0%'],
  ])('%s', (fraction, bar) => {
    expect(progressBar(fraction, 10)).toBe(bar);
  });
});
