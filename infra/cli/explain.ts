/**
 * `slbc explain <ingress|service|target> NAME`: why a rule, target group or error exists. It
 * reads what the stacks function reads (the mirror in the state table, AWS by tags), rebuilds
 * the model with the same code (plan-key.ts) and shows, for the object: the rules and target
 * groups the model derives from it (the member that produced each), its model errors, the error
 * recorded in the table, and the history entries that changed its stack last. Read-only.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient } from '@aws-sdk/client-eks';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { createEc2Stacks } from '../../shared/aws/ec2-stacks.js';
import { eksClusters } from '../../shared/aws/eks-cluster.js';
import { createElbv2Stacks } from '../../shared/aws/elbv2-stacks.js';
import type { Config } from '../../shared/config.js';
import type { Ingress } from '../../shared/k8s/objects.js';
import { RESOURCE_TYPES } from '../../shared/model/stack.js';
import { planStackKey, type StackReadPorts } from '../../shared/reconcile/stacks/plan-key.js';
import type { Binding, HistoryEntry, RecordedError, State } from '../../shared/state/index.js';
import { openState } from '../../shared/state/index.js';
import { ingressGroupKey, parseStackKey, reconcileKeys } from '../../shared/state/keys.js';
import { readWiring } from '../deploy/wiring.js';
import type { Command, OutputFormat } from './args.js';
import { sdkConfig } from './aws-config.js';
import { CliError } from './errors.js';
import { planConfig } from './plan.js';

export type ExplainCommand = Extract<Command, { name: 'explain' }>;

export interface Explanation {
  subject: { kind: string; name: string; cluster: string };
  /** the reconcile key that owns it */
  key?: string;
  /** what the model derives from it, each with the member that produced it */
  reasons: { resource: string; detail: string; source?: string }[];
  /** model errors on it now (the field named) */
  modelErrors: { field: string; message: string }[];
  /** errors recorded in the state table by the functions */
  recordedErrors: RecordedError[];
  /** the newest history entries of its key (the last change and the event that caused it) */
  history: HistoryEntry[];
  binding?: Binding;
}

const HISTORY_SHOWN = 5;

async function explainStackMember(
  ports: StackReadPorts,
  state: State,
  cluster: string,
  kind: 'Ingress' | 'Service',
  namespace: string,
  name: string,
): Promise<Explanation> {
  const subject = { kind, name: `${namespace}/${name}`, cluster };
  const object = await state.mirror.getObject(cluster, kind, namespace, name);
  const key =
    kind === 'Ingress'
      ? object === undefined
        ? undefined
        : ingressGroupKey(cluster, object as Ingress)
      : reconcileKeys.serviceStack(cluster, namespace, name);
  const recordedErrors = (await state.errors.list(cluster)).filter(
    (error) =>
      (error.namespace === namespace && error.name === name) || (key !== undefined && error.key === key),
  );
  const explanation: Explanation = { subject, reasons: [], modelErrors: [], recordedErrors, history: [] };
  if (object === undefined)
    explanation.reasons.push({
      resource: kind,
      detail: `not in slbc's mirror of cluster ${cluster}: no event seen for it`,
    });
  if (key === undefined) return explanation;
  explanation.key = key;
  const parsed = parseStackKey(key);
  if (!parsed) return explanation;
  const { build } = await planStackKey(ports, parsed);
  const mine = (source: { namespace: string; name: string }) =>
    source.namespace === namespace && source.name === name;
  for (const [id, rule] of Object.entries(build.stack.resources[RESOURCE_TYPES.listenerRule]))
    if (mine(rule.source))
      explanation.reasons.push({
        resource: `rule ${id} (priority ${rule.spec.priority})`,
        detail: `${JSON.stringify(rule.spec.conditions)} -> ${rule.spec.actions.map((action) => action.type).join(', ')}`,
        source: `${rule.source.kind} ${rule.source.namespace}/${rule.source.name}`,
      });
  for (const [id, group] of Object.entries(build.stack.resources[RESOURCE_TYPES.targetGroup]))
    if (mine(group.source))
      explanation.reasons.push({
        resource: `target group ${group.spec.name} (${id})`,
        detail: `backend ${group.binding.serviceRef.name}:${group.binding.serviceRef.port}, ${group.spec.targetType} targets`,
        source: `${group.source.kind} ${group.source.namespace}/${group.source.name}`,
      });
  explanation.modelErrors = build.memberErrors
    .filter((error) => error.kind === kind && mine(error))
    .map((error) => ({ field: error.field, message: error.message }));
  for (const error of build.stackErrors)
    explanation.modelErrors.push({ field: error.field, message: `stack: ${error.message}` });
  explanation.history = await state.history.list(key, { limit: HISTORY_SHOWN });
  return explanation;
}

async function explainTarget(state: State, cluster: string, nameOrArn: string): Promise<Explanation> {
  const bindings = await state.bindings.list(cluster);
  const binding = bindings.find(
    (item) => item.targetGroupArn === nameOrArn || item.targetGroupArn.includes(`:targetgroup/${nameOrArn}/`),
  );
  if (!binding)
    throw new CliError(
      'NotFound',
      `target group ${nameOrArn}: no binding in cluster ${cluster} (slbc did not make or adopt it)`,
    );
  const key = reconcileKeys.targetGroup(binding.targetGroupArn);
  return {
    subject: { kind: 'TargetGroup', name: nameOrArn, cluster },
    key,
    reasons: [
      {
        resource: `target group ${binding.targetGroupArn}`,
        detail: `${binding.targetType} targets of Service ${binding.service.namespace}/${binding.service.name} port ${binding.service.port}: the ready endpoints of that Service${binding.createdBySlbc ? '' : ' (adopted, not created by slbc)'}`,
        source: `stack ${binding.stackKey}`,
      },
    ],
    modelErrors: binding.lastError === undefined ? [] : [{ field: 'binding', message: binding.lastError }],
    recordedErrors: (await state.errors.list(cluster)).filter((error) => error.key === key),
    history: await state.history.list(key, { limit: HISTORY_SHOWN }),
    binding,
  };
}

export function renderExplanation(explanation: Explanation): string[] {
  const { subject } = explanation;
  const lines = [
    `${subject.kind} ${subject.name} (cluster ${subject.cluster})${explanation.key ? `, key ${explanation.key}` : ''}`,
  ];
  lines.push('why it exists:');
  if (explanation.reasons.length === 0) lines.push('  nothing in the model comes from it');
  for (const reason of explanation.reasons)
    lines.push(`  ${reason.resource}: ${reason.detail}${reason.source ? `  [from ${reason.source}]` : ''}`);
  lines.push(explanation.modelErrors.length === 0 ? 'model errors: none' : 'model errors:');
  for (const error of explanation.modelErrors) lines.push(`  ${error.field}: ${error.message}`);
  lines.push(explanation.recordedErrors.length === 0 ? 'recorded errors: none' : 'recorded errors:');
  for (const error of explanation.recordedErrors)
    lines.push(
      `  ${error.at} ${error.kind} ${error.namespace ? `${error.namespace}/` : ''}${error.name}${error.field ? ` ${error.field}` : ''}: ${error.message}`,
    );
  lines.push(explanation.history.length === 0 ? 'history: none kept' : 'last changes (newest first):');
  for (const entry of explanation.history) {
    const cause = [
      entry.cause.detailType,
      entry.cause.eventId && `event ${entry.cause.eventId}`,
      entry.cause.auditId && `audit ${entry.cause.auditId}`,
    ]
      .filter(Boolean)
      .join(', ');
    lines.push(`  ${entry.at} ${entry.action} ${entry.resource}  caused by ${cause}`);
  }
  return lines;
}

function tableOf(command: ExplainCommand): string {
  if (command.table !== undefined) return command.table;
  if (command.stage === undefined) throw new CliError('NoTable', 'explain needs a stage or a table', 2);
  return readWiring({ stage: command.stage }).tableName;
}

export async function runExplain(
  command: ExplainCommand,
  output: OutputFormat = 'text',
  out = (line: string) => console.log(line),
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<number> {
  const config: Config = planConfig(
    { name: 'plan', ...(command.stage ? { stage: command.stage } : {}) },
    env,
  );
  const cluster = command.cluster ?? (config.clusters.length === 1 ? config.clusters[0] : undefined);
  if (cluster === undefined)
    throw new CliError(
      'NoCluster',
      `slbc explain: which cluster? give --cluster (${config.clusters.join(', ')})`,
      2,
    );
  const sdk = sdkConfig(command, { maxAttempts: 2 });
  const dynamodb = new DynamoDBClient(sdk);
  const elbv2 = new ElasticLoadBalancingV2Client(sdk);
  const ec2 = new EC2Client(sdk);
  const eks = new EKSClient(sdk);
  try {
    const state = openState(dynamodb, tableOf(command));
    const ports: StackReadPorts = {
      objects: state.mirror,
      elbv2: createElbv2Stacks(elbv2),
      ec2: createEc2Stacks(ec2),
      clusterVpc: eksClusters(eks).vpcId,
      config,
    };
    const [namespace = '', name = ''] = command.object.split('/');
    const explanation =
      command.kind === 'target'
        ? await explainTarget(state, cluster, command.object)
        : await explainStackMember(
            ports,
            state,
            cluster,
            command.kind === 'ingress' ? 'Ingress' : 'Service',
            namespace,
            name,
          );
    if (output === 'json') out(JSON.stringify(explanation));
    else for (const line of renderExplanation(explanation)) out(line);
    return 0;
  } finally {
    dynamodb.destroy();
    elbv2.destroy();
    ec2.destroy();
    eks.destroy();
  }
}
