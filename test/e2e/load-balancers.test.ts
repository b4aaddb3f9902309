import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../infra/local/cluster/index.js';
import { E2E_TIMEOUT_MS, notConverged, podIps, runNamed } from './helpers.js';

describe('e2e: load balancers from the cluster', () => {
  it(
    'the seed case: a LoadBalancer Service with nlb-target-type ip becomes one NLB on ip targets',
    async () => {
      let pods: string[] = [];
      const report = await runNamed('nlb-ip', {
        inspect: (system) => {
          pods = podIps(system.cluster.list('Pod'), 'echo');
        },
      });
      expect(report.converged, notConverged(report)).toBe(true);
      expect(report.loadBalancers).toHaveLength(1);
      const [nlb] = report.loadBalancers;
      expect(nlb).toMatchObject({ type: 'network', tags: { 'elbv2.k8s.aws/cluster': 'demo' } });
      expect(nlb?.listeners.map((l) => [l.protocol, l.port])).toEqual([['TCP', 80]]);
      expect(report.targetGroups).toHaveLength(1);
      const [group] = report.targetGroups;
      expect(group).toMatchObject({ targetType: 'ip', protocol: 'TCP', port: 8080 });
      expect(nlb?.listeners[0]?.defaultActions).toMatchObject([
        { Type: 'forward', TargetGroupArn: group?.name },
      ]);
      expect(pods).toHaveLength(3);
      expect(group?.targets).toEqual(pods.map((id) => ({ id, port: 8080, state: 'healthy' })));
      expect(report.status['Service/default/echo']).toBe(nlb?.dnsName);
      expect(report.errors).toEqual([]);
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'an IngressGroup of three Ingresses shares one ALB, rules in group order, three target groups',
    async () => {
      const report = await runNamed('ingress-group');
      expect(report.converged, notConverged(report)).toBe(true);
      expect(report.loadBalancers).toHaveLength(1);
      const [alb] = report.loadBalancers;
      expect(alb).toMatchObject({ type: 'application', tags: { 'ingress.k8s.aws/stack': 'shop' } });
      const rules = alb?.listeners.flatMap((listener) => listener.rules) ?? [];
      // group.order: api (10), web (20), admin (30)
      const forwardedTo = rules.map(
        (rule) => (rule.actions[0] as { TargetGroupArn?: string }).TargetGroupArn,
      );
      expect(rules.map((rule) => rule.priority)).toEqual([1, 2, 3]);
      expect(forwardedTo.map((name) => name?.split('-')[2])).toEqual(['api', 'web', 'admin']);
      expect(report.targetGroups.map((group) => group.name).sort()).toEqual([...forwardedTo].sort());
      const sizes = Object.fromEntries(
        report.targetGroups.map((g) => [g.name.split('-')[2], g.targets.length]),
      );
      expect(sizes).toEqual({ admin: 1, api: 2, web: 2 });
      for (const group of report.targetGroups)
        for (const target of group.targets) expect(target.state).toBe('healthy');
      for (const member of ['web', 'api', 'admin'])
        expect(report.status[`Ingress/default/${member}`]).toBe(alb?.dnsName);
      expect(report.steps[0]?.elbv2).toMatchObject({
        CreateLoadBalancer: 1,
        CreateTargetGroup: 3,
        CreateRule: 3,
      });
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'instance mode: a NodePort backend is reached through every node instance on its node port',
    async () => {
      let instances: string[] = [];
      let nodePort = 0;
      const report = await runNamed('instance-mode', {
        inspect: (system) => {
          instances = system.cluster
            .nodes()
            .map((node) => node.instanceId)
            .sort();
          const service = system.cluster.get<KubeObject & { spec: { ports: { nodePort: number }[] } }>(
            'Service',
            'default/web',
          );
          nodePort = service?.spec.ports[0]?.nodePort ?? 0;
        },
      });
      expect(report.converged, notConverged(report)).toBe(true);
      expect(report.targetGroups).toHaveLength(1);
      const [group] = report.targetGroups;
      expect(group?.targetType).toBe('instance');
      expect(instances).toHaveLength(3);
      expect(nodePort).toBeGreaterThanOrEqual(30000);
      expect(group?.targets.map((t) => [t.id, t.port])).toEqual(instances.map((id) => [id, nodePort]));
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'a bad Ingress in a group is reported with its field while the rest of the group works',
    async () => {
      const report = await runNamed('bad-ingress');
      expect(report.converged, notConverged(report)).toBe(true);
      expect(report.errors).toHaveLength(1);
      expect(report.errors[0]).toMatchObject({
        kind: 'Ingress',
        namespace: 'default',
        name: 'bad',
        field: expect.stringContaining('alb.ingress.kubernetes.io/listen-ports'),
      });
      expect(report.errors[0]?.message).toMatch(/listen-ports/);
      expect(report.loadBalancers).toHaveLength(1);
      const alb = report.loadBalancers[0];
      const paths = alb?.listeners
        .flatMap((listener) => listener.rules)
        .flatMap((rule) => rule.conditions as { Field: string; Values?: string[] }[])
        .filter((condition) => condition.Field === 'path-pattern')
        .flatMap((condition) => condition.Values ?? []);
      expect(paths?.some((path) => path.startsWith('/web'))).toBe(true);
      expect(paths?.some((path) => path.startsWith('/api'))).toBe(true);
      expect(paths?.some((path) => path.startsWith('/bad'))).toBe(false);
      expect(report.status['Ingress/default/web']).toBe(alb?.dnsName);
      expect(report.status['Ingress/default/api']).toBe(alb?.dnsName);
      expect(report.status['Ingress/default/bad']).toBeUndefined();
    },
    E2E_TIMEOUT_MS,
  );
});
