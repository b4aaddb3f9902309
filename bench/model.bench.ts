/**
 * The desired-state model at scale: one Ingress group of 100 Ingresses with 10 paths each, and
 * 1,000 Ingresses in 100 groups (sorting every Ingress into its group, building each group's
 * ALB stack and serialising it to JSON, as the stacks function and the dry run do). CPU time is
 * the median of several runs; peak memory is the process's maximum resident set.
 */
import type { Ingress, Service } from '../shared/k8s/objects.js';
import { ingressGroupIds } from '../shared/model/ingress/affected.js';
import { buildIngressGroupStack, indexServices } from '../shared/model/ingress/build.js';
import { loadIngressGroup } from '../shared/model/ingress/group.js';
import type { ModelEnvironment } from '../shared/model/inputs.js';
import { ingressFixture } from './ingress-fixture.js';
import { type BenchTarget, peakRssMiB, writeReport } from './report.js';

const RUNS = 7;

const env: ModelEnvironment = {
  clusterName: 'bench',
  vpcId: 'vpc-bench',
  subnets: ['a', 'b', 'c'].map((zone, index) => ({
    subnetId: `subnet-${index}`,
    availabilityZone: `us-east-1${zone}`,
    tags: { 'kubernetes.io/role/internal-elb': '1' },
  })),
  config: { ingressClass: 'alb', defaultTargetType: 'ip', defaultScheme: 'internal', serviceClaim: 'all' },
  // 100 rules per ALB is AWS's default; raised here so every rule is modelled and measured
  ruleQuota: 10_000,
  // the fixture spreads each group over many namespaces: open the groups, as a deployment setting would
  groupNamespaces: 'any',
};

interface RunResult {
  cpuMs: number;
  rules: number;
  jsonBytes: number;
  errors: number;
}

function run(ingresses: Ingress[], serviceList: Service[]): RunResult {
  const start = process.cpuUsage();
  // as a pass does: the group ids, then each group loaded from the listed Ingresses
  const groups = ingressGroupIds(ingresses, [], env.config).map((id) =>
    loadIngressGroup(id, ingresses, [], env.config),
  );
  const services = indexServices(serviceList);
  let rules = 0;
  let jsonBytes = 0;
  let errors = 0;
  for (const group of groups) {
    const build = buildIngressGroupStack({ env, group, services });
    rules += Object.keys(build.stack.resources['AWS::ElasticLoadBalancingV2::ListenerRule']).length;
    errors += build.memberErrors.length + build.stackErrors.length;
    jsonBytes += JSON.stringify(build.stack).length;
  }
  const used = process.cpuUsage(start);
  return { cpuMs: (used.user + used.system) / 1000, rules, jsonBytes, errors };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)]! * 10) / 10;
}

function measure(label: string, ingressCount: number, groupCount: number) {
  const { ingresses, services } = ingressFixture(ingressCount, groupCount);
  run(ingresses, services); // warm-up: JIT and module initialisation
  const results = Array.from({ length: RUNS }, () => run(ingresses, services));
  const last = results.at(-1)!;
  return {
    label,
    ingresses: ingressCount,
    groups: groupCount,
    rules: last.rules,
    memberErrors: last.errors,
    stackJsonKiB: Math.round(last.jsonBytes / 1024),
    cpuMsMedian: median(results.map((result) => result.cpuMs)),
  };
}

const oneGroup = measure('one group, 100 Ingresses x 10 paths', 100, 1);
const manyGroups = measure('1,000 Ingresses in 100 groups', 1000, 100);
const peak = peakRssMiB();

const targets: BenchTarget[] = [
  {
    metric: 'model CPU ms, 1,000 Ingresses in 100 groups (budget shared with the plan: 1,000 ms)',
    value: manyGroups.cpuMsMedian,
    target: '<= 250',
    met: manyGroups.cpuMsMedian <= 250,
  },
  { metric: 'peak RSS MiB (whole benchmark process)', value: peak, target: '<= 256', met: peak <= 256 },
];
writeReport('model', { oneGroup, manyGroups, peakRssMiB: peak }, targets);
