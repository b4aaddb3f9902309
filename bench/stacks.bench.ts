import { ingressGroupIds } from '../shared/model/ingress/affected.js';
import { buildIngressGroupStack, indexServices } from '../shared/model/ingress/build.js';
import { loadIngressGroup } from '../shared/model/ingress/group.js';
import type { ModelEnvironment } from '../shared/model/inputs.js';
import type { Stack, StackBuild } from '../shared/model/stack.js';
import { RESOURCE_TYPES } from '../shared/model/stack.js';
import { TAG_KEYS } from '../shared/model/tags.js';
import { memberKey, planStack } from '../shared/plan/stack.js';
import { type ActualStack, emptyActual } from '../shared/plan/stack-actual.js';
import { refPath, resolveRefs } from '../shared/plan/stack-changes.js';
import { ingressFixture } from './ingress-fixture.js';
import { type BenchTarget, peakRssMiB, writeReport } from './report.js';

const RUNS = 7;
const VPC = 'vpc-bench';

function environment(ruleQuota: number): ModelEnvironment {
  return {
    clusterName: 'bench',
    vpcId: VPC,
    subnets: ['a', 'b', 'c'].map((zone, index) => ({
      subnetId: `subnet-${index}`,
      availabilityZone: `us-east-1${zone}`,
      tags: { 'kubernetes.io/role/internal-elb': '1' },
    })),
    config: { ingressClass: 'alb', defaultTargetType: 'ip', defaultScheme: 'internal', serviceClaim: 'all' },
    ruleQuota,
  };
}

/** What AWS holds after a deploy of `stack` applied every change: ARNs made up, Refs resolved. */
function deployedActual(stack: Stack): ActualStack {
  const actual = emptyActual();
  const known = new Map<string, string>();
  const res = stack.resources;
  for (const [id, { spec }] of Object.entries(res[RESOURCE_TYPES.securityGroup])) {
    const groupId = `sg-${stack.id}-${id}`;
    known.set(refPath(RESOURCE_TYPES.securityGroup, id, 'groupID'), groupId);
    actual.securityGroups.push({
      groupId,
      groupName: spec.groupName,
      tags: spec.tags,
      ingress: spec.ingress,
    });
  }
  for (const [id, { spec }] of Object.entries(res[RESOURCE_TYPES.targetGroup])) {
    const arn = `arn:targetgroup/${spec.name}`;
    known.set(refPath(RESOURCE_TYPES.targetGroup, id, 'targetGroupARN'), arn);
    actual.targetGroups.push({
      arn,
      name: spec.name,
      targetType: spec.targetType,
      protocol: spec.protocol,
      ...(spec.protocolVersion ? { protocolVersion: spec.protocolVersion } : {}),
      port: spec.port,
      vpcId: VPC,
      ipAddressType: spec.ipAddressType,
      healthCheck: spec.healthCheckConfig,
      attributes: Object.fromEntries(spec.targetGroupAttributes.map((a) => [a.key, a.value])),
      tags: spec.tags,
    });
  }
  for (const [id, resource] of Object.entries(res[RESOURCE_TYPES.loadBalancer])) {
    const arn = `arn:loadbalancer/${resource.spec.name}`;
    known.set(refPath(RESOURCE_TYPES.loadBalancer, id, 'loadBalancerARN'), arn);
    const spec = resolveRefs(resource.spec, known);
    actual.loadBalancers.push({
      arn,
      name: spec.name,
      type: spec.type,
      scheme: spec.scheme,
      ipAddressType: spec.ipAddressType,
      dnsName: `${spec.name}.elb.local`,
      subnetIds: spec.subnetMapping.map((mapping) => mapping.subnetID),
      securityGroups: spec.securityGroups.map(String),
      attributes: Object.fromEntries(spec.loadBalancerAttributes.map((a) => [a.key, a.value])),
      tags: spec.tags,
    });
  }
  for (const [id, resource] of Object.entries(res[RESOURCE_TYPES.listener])) {
    const spec = resolveRefs(resource.spec, known);
    const arn = `arn:listener/${stack.id}/${id}`;
    known.set(refPath(RESOURCE_TYPES.listener, id, 'listenerARN'), arn);
    actual.listeners.push({
      arn,
      loadBalancerArn: String(spec.loadBalancerARN),
      port: spec.port,
      protocol: spec.protocol,
      defaultActions: spec.defaultActions,
      certificates: (spec.certificates ?? []).map((certificate) => certificate.certificateARN),
      ...(spec.sslPolicy ? { sslPolicy: spec.sslPolicy } : {}),
    });
  }
  for (const [id, resource] of Object.entries(res[RESOURCE_TYPES.listenerRule])) {
    const spec = resolveRefs(resource.spec, known);
    actual.rules.push({
      arn: `arn:rule/${stack.id}/${id}`,
      listenerArn: String(spec.listenerARN),
      priority: spec.priority,
      actions: spec.actions,
      conditions: spec.conditions,
      tags: { ...spec.tags, [TAG_KEYS.member]: memberKey(resource.source) },
    });
  }
  return actual;
}

interface Case {
  label: string;
  ingresses: number;
  groups: number;
  ruleQuota: number;
}

interface Timed {
  cpuMs: number;
  /** the plan's share of cpuMs (the rest is the model build) */
  planCpuMs: number;
  changes: number;
  rules: number;
  errors: number;
}

function cpuMs(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)]! * 10) / 10;
}

function measure(spec: Case) {
  const env = environment(spec.ruleQuota);
  const { ingresses, services: serviceList } = ingressFixture(spec.ingresses, spec.groups);
  // one group at a time, as a reconcile pass works one stack key: nothing outlives its group
  function* builds(): Generator<StackBuild> {
    const services = indexServices(serviceList);
    for (const id of ingressGroupIds(ingresses, [], env.config)) {
      const group = loadIngressGroup(id, ingresses, [], env.config);
      yield buildIngressGroupStack({ env, group, services });
    }
  }
  // the deployed state is set up outside the timing: in a pass it comes from AWS
  const deployed = new Map<string, ActualStack>();
  for (const one of builds()) deployed.set(one.stack.id, deployedActual(one.stack));
  const options = { vpcId: VPC, ruleQuota: spec.ruleQuota };
  const run = (against: 'empty' | 'deployed'): Timed => {
    const start = process.cpuUsage();
    let changes = 0;
    let rules = 0;
    let errors = 0;
    let planCpuMs = 0;
    for (const one of builds()) {
      const actual = against === 'empty' ? emptyActual() : (deployed.get(one.stack.id) ?? emptyActual());
      const planStart = process.cpuUsage();
      const plan = planStack(one, actual, options);
      planCpuMs += cpuMs(planStart);
      changes += plan.changes.length;
      errors += plan.errors.length + one.memberErrors.length;
      rules += Object.keys(one.stack.resources[RESOURCE_TYPES.listenerRule]).length;
    }
    return { cpuMs: cpuMs(start), planCpuMs, changes, rules, errors };
  };
  const series = (against: 'empty' | 'deployed') => {
    run(against); // warm-up: JIT and module initialisation
    const results = Array.from({ length: RUNS }, () => run(against));
    const last = results.at(-1)!;
    return {
      cpuMsMedian: median(results.map((result) => result.cpuMs)),
      planCpuMsMedian: median(results.map((result) => result.planCpuMs)),
      changes: last.changes,
      errors: last.errors,
      rules: last.rules,
    };
  };
  return {
    label: spec.label,
    ingresses: spec.ingresses,
    groups: spec.groups,
    ruleQuota: spec.ruleQuota,
    againstEmpty: series('empty'),
    againstDeployed: series('deployed'),
  };
}

// 1,000 rules on one ALB exceed AWS's default quota of 100: raised here so every rule is planned
const oneGroup = measure({
  label: 'one group, 100 Ingresses x 10 paths (rule quota raised to 10,000)',
  ingresses: 100,
  groups: 1,
  ruleQuota: 10_000,
});
// 10 Ingresses x 10 paths = 100 rules per group: AWS's default quota holds
const manyGroups = measure({
  label: '1,000 Ingresses in 100 groups (default rule quota 100)',
  ingresses: 1000,
  groups: 100,
  ruleQuota: 100,
});
const peak = peakRssMiB();
const worst = Math.max(manyGroups.againstEmpty.cpuMsMedian, manyGroups.againstDeployed.cpuMsMedian);

const targets: BenchTarget[] = [
  {
    metric: 'model + plan CPU ms, 1,000 Ingresses in 100 groups (worse of empty and deployed)',
    value: worst,
    target: '< 1000',
    met: worst < 1000,
  },
  { metric: 'peak RSS MiB (whole benchmark process)', value: peak, target: '< 256', met: peak < 256 },
  {
    metric: 'changes planned against the deployed state (both cases)',
    value: oneGroup.againstDeployed.changes + manyGroups.againstDeployed.changes,
    target: '= 0',
    met: oneGroup.againstDeployed.changes + manyGroups.againstDeployed.changes === 0,
  },
];
writeReport('stacks', { oneGroup, manyGroups, peakRssMiB: peak }, targets);
