/**
 * `slbc plan`: the ordered changes slbc would make, per stack, from the cluster (a kubeconfig or
 * manifest files) and the account (by tags). It runs the stacks function's own build-and-plan
 * (shared/reconcile/stacks/plan-key.ts) over read-only ports: DescribeCluster for the VPC,
 * Describe* for ELBv2 and EC2, GETs on the Kubernetes API. Nothing is ever written.
 */

import { readFileSync } from 'node:fs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient } from '@aws-sdk/client-eks';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { createEc2Stacks } from '../../shared/aws/ec2-stacks.js';
import { eksClusters } from '../../shared/aws/eks-cluster.js';
import { createElbv2Stacks } from '../../shared/aws/elbv2-stacks.js';
import { type Config, loadConfig } from '../../shared/config.js';
import type { AnyObject, Ingress, IngressClass } from '../../shared/k8s/objects.js';
import { createKubeApi } from '../../shared/kube/kube-api.js';
import { groupsOfIngressChange } from '../../shared/model/ingress/affected.js';
import { groupIdString } from '../../shared/model/ingress/group.js';
import { TAG_KEYS } from '../../shared/model/tags.js';
import {
  type ClassParamsSource,
  kubeClassParamsSource,
} from '../../shared/reconcile/stacks/class-params-source.js';
import {
  newPassContext,
  planStackKey,
  type StackObjects,
  type StackReadPorts,
} from '../../shared/reconcile/stacks/plan-key.js';
import { parseStackKey, reconcileKeys } from '../../shared/state/keys.js';
import { readWiring } from '../deploy/wiring.js';
import type { Command, OutputFormat } from './args.js';
import { sdkConfig } from './aws-config.js';
import { CliError } from './errors.js';
import { describeChange, type PlanReport, planExitCode, renderPlanText } from './plan-render.js';
import {
  type ClusterObjects,
  kubeconfigContext,
  memoryObjects,
  readKubernetes,
  readManifests,
} from './plan-sources.js';

export type PlanCommand = Extract<Command, { name: 'plan' }>;

/** The stacks function's configuration: the stage's, else the environment's (SLBC_*), else defaults. */
export function planConfig(command: PlanCommand, env: Readonly<Record<string, string | undefined>>): Config {
  if (command.stage !== undefined)
    return loadConfig(readWiring({ stage: command.stage }).functions['stacks']?.environment ?? {});
  return loadConfig({ ...env });
}

/** Every stack key the cluster's objects ask for, and every stack AWS holds for the cluster. */
export async function stackKeysOf(
  cluster: string,
  objects: readonly AnyObject[],
  config: Pick<Config, 'ingressClass'>,
  tagged: readonly Record<string, string>[],
): Promise<string[]> {
  const keys = new Set<string>();
  const kind = (object: AnyObject) => (object as { kind?: string }).kind;
  const classes = objects.filter((object) => kind(object) === 'IngressClass') as IngressClass[];
  for (const object of objects) {
    if (kind(object) === 'Ingress')
      for (const id of groupsOfIngressChange(undefined, object as Ingress, classes, config))
        keys.add(reconcileKeys.ingressStack(cluster, groupIdString(id)));
    if (kind(object) === 'Service' && (object as { spec: { type?: string } }).spec.type === 'LoadBalancer')
      keys.add(
        reconcileKeys.serviceStack(cluster, object.metadata.namespace ?? 'default', object.metadata.name),
      );
  }
  for (const tags of tagged) {
    if (tags[TAG_KEYS.cluster] !== cluster) continue;
    const group = tags[TAG_KEYS.ingressStack];
    if (group) keys.add(reconcileKeys.ingressStack(cluster, group));
    const service = tags[TAG_KEYS.serviceStack];
    if (service?.includes('/')) {
      const [namespace = '', name = ''] = service.split('/');
      keys.add(reconcileKeys.serviceStack(cluster, namespace, name));
    }
  }
  return [...keys].sort();
}

export interface PlanInputs {
  cluster: string;
  found: ClusterObjects;
  ports: Omit<StackReadPorts, 'objects'> & { objects?: StackObjects };
}

/** Plans every stack of the cluster; pure over its ports (tests pass the local endpoint's). */
export async function buildPlanReport(inputs: PlanInputs): Promise<PlanReport> {
  const { cluster, found } = inputs;
  const ports: StackReadPorts = {
    ...inputs.ports,
    objects: inputs.ports.objects ?? memoryObjects(cluster, found.objects),
  };
  const all = await ports.elbv2.findStack({ [TAG_KEYS.cluster]: cluster });
  const tagged = [...all.loadBalancers, ...all.targetGroups].map((resource) => resource.tags);
  const keys = await stackKeysOf(cluster, found.objects, ports.config, tagged);
  const context = newPassContext();
  const report: PlanReport = { cluster, source: found.source, stacks: [], changes: 0, errors: 0 };
  for (const key of keys) {
    const parsed = parseStackKey(key);
    if (!parsed) continue;
    const { build, actual, plan } = await planStackKey(ports, parsed, context);
    const changes = plan.changes.map((change) => describeChange(change, actual));
    report.stacks.push({
      stack: parsed.stackKey,
      key,
      changes,
      stackErrors: build.stackErrors,
      memberErrors: build.memberErrors,
      planErrors: plan.errors,
      waiting: plan.waiting,
    });
    report.changes += changes.length;
    if (build.stackErrors.length + build.memberErrors.length + plan.errors.length > 0) report.errors += 1;
  }
  return report;
}

/** The cluster name: --cluster, the kubeconfig's, else the configuration's only cluster. */
function clusterName(command: PlanCommand, fromKubeconfig: string | undefined, config: Config): string {
  const name =
    command.cluster ?? fromKubeconfig ?? (config.clusters.length === 1 ? config.clusters[0] : undefined);
  if (name === undefined)
    throw new CliError(
      'NoCluster',
      `slbc plan: which cluster? give --cluster (the configuration serves ${config.clusters.join(', ')})`,
      2,
    );
  return name;
}

export async function runPlan(
  command: PlanCommand,
  output: OutputFormat = 'text',
  out = (line: string) => console.log(line),
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<number> {
  const config = planConfig(command, env);
  let objects: ClusterObjects;
  let cluster: string;
  // IngressClassParams and namespace labels, read as the function reads them (kubeconfig only)
  let classParams: ClassParamsSource | undefined;
  if (command.manifests !== undefined) {
    objects = readManifests(command.manifests);
    cluster = clusterName(command, undefined, config);
  } else {
    const path = command.kubeconfig ?? env['KUBECONFIG']?.split(':')[0];
    if (!path)
      throw new CliError(
        'NoCluster',
        'slbc plan: give --kubeconfig FILE (or KUBECONFIG) or --manifests DIR',
        2,
      );
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      throw new CliError('InvalidKubeconfig', `kubeconfig ${path}: cannot be read`);
    }
    const context = kubeconfigContext(text, `kubeconfig ${path}`);
    cluster = clusterName(command, context.clusterName, config);
    objects = await readKubernetes(context, `kubeconfig ${path}`);
    const api = createKubeApi(context.target);
    classParams = kubeClassParamsSource(async () => api);
  }
  const sdk = sdkConfig(command, { maxAttempts: 2 });
  const elbv2 = new ElasticLoadBalancingV2Client(sdk);
  const ec2 = new EC2Client(sdk);
  const eks = new EKSClient(sdk);
  try {
    const report = await buildPlanReport({
      cluster,
      found: objects,
      ports: {
        elbv2: createElbv2Stacks(elbv2),
        ec2: createEc2Stacks(ec2),
        clusterVpc: eksClusters(eks).vpcId,
        config,
        ...(classParams ? { classParams } : {}),
      },
    });
    if (output === 'json') out(JSON.stringify(report));
    else for (const line of renderPlanText(report)) out(line);
    return planExitCode(report);
  } finally {
    elbv2.destroy();
    ec2.destroy();
    eks.destroy();
  }
}
