/**
 * Where `slbc plan` reads the cluster from: manifest files (YAML, one or many documents, a file
 * or every .yaml/.yml/.json file of a directory) or the Kubernetes API through a kubeconfig.
 * Either way the objects go through the same schemas as the mirror (shared/k8s/objects.ts), so
 * the model sees exactly what the stacks function would see. Read-only: GETs only.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import type { AnyObject, Kind, ObjectsByKind } from '../../shared/k8s/objects.js';
import { CLUSTER_SCOPED, OBJECT_SCHEMAS } from '../../shared/k8s/objects.js';
import { createKubeApi, type KubeApiTarget } from '../../shared/kube/kube-api.js';
import type { StackObjects } from '../../shared/reconcile/stacks/plan-key.js';
import { CliError } from './errors.js';

/** the kinds a stack is built from */
export const PLAN_KINDS = ['Ingress', 'IngressClass', 'Service'] as const satisfies readonly Kind[];
type PlanKind = (typeof PLAN_KINDS)[number];

const API_VERSIONS: Record<PlanKind, readonly string[]> = {
  Ingress: ['networking.k8s.io/v1'],
  IngressClass: ['networking.k8s.io/v1'],
  Service: ['v1'],
};

export interface ClusterObjects {
  objects: AnyObject[];
  /** where they came from, for the header line */
  source: string;
}

/** One raw object through its schema; a bad one fails naming the object and the field. */
export function trimObject(kind: PlanKind, raw: unknown, where: string): AnyObject {
  const parsed = OBJECT_SCHEMAS[kind].safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = (raw as { metadata?: { name?: unknown } })?.metadata?.name;
    throw new CliError(
      'InvalidObject',
      `${where}: ${kind} ${typeof name === 'string' ? name : '(unnamed)'}: field ${(issue?.path ?? []).join('.')}: ${issue?.message}`,
    );
  }
  const object = parsed.data as AnyObject;
  // kubectl puts namespaced objects without a namespace into "default"
  if (!CLUSTER_SCOPED.has(kind) && object.metadata.namespace === undefined)
    object.metadata.namespace = 'default';
  return object;
}

/** Every Ingress, IngressClass and Service of YAML text; other kinds are skipped, lists unpacked. */
export function objectsOfYaml(text: string, where: string): AnyObject[] {
  const out: AnyObject[] = [];
  const visit = (doc: unknown, index: number) => {
    if (doc === null || doc === undefined) return;
    if (typeof doc !== 'object' || Array.isArray(doc))
      throw new CliError('InvalidManifest', `${where}: document ${index + 1} is not a Kubernetes object`);
    const { kind, apiVersion, items } = doc as { kind?: unknown; apiVersion?: unknown; items?: unknown };
    if (kind === 'List' && Array.isArray(items)) {
      for (const item of items) visit(item, index);
      return;
    }
    if (typeof kind !== 'string' || !(PLAN_KINDS as readonly string[]).includes(kind)) return;
    const planKind = kind as PlanKind;
    if (!API_VERSIONS[planKind].includes(String(apiVersion)))
      throw new CliError(
        'InvalidManifest',
        `${where}: document ${index + 1} (${kind}): apiVersion ${String(apiVersion)} is not one slbc reads (${API_VERSIONS[planKind].join(', ')})`,
      );
    out.push(trimObject(planKind, doc, `${where} document ${index + 1}`));
  };
  parseAllDocuments(text).forEach((document, index) => {
    if (document.errors.length > 0)
      throw new CliError(
        'InvalidManifest',
        `${where}: document ${index + 1}: ${document.errors[0]?.message}`,
      );
    visit(document.toJS(), index);
  });
  return out;
}

/** A file, or every .yaml/.yml/.json file of a directory (sorted, not recursive). */
export function readManifests(path: string): ClusterObjects {
  let files: string[];
  try {
    files = statSync(path).isDirectory()
      ? readdirSync(path)
          .filter((name) => /\.(ya?ml|json)$/.test(name))
          .sort()
          .map((name) => join(path, name))
      : [path];
  } catch {
    throw new CliError('NoManifests', `--manifests ${path}: no such file or directory`);
  }
  return {
    objects: files.flatMap((file) => objectsOfYaml(readFileSync(file, 'utf8'), file)),
    source: `manifests ${path} (${files.length} file${files.length === 1 ? '' : 's'})`,
  };
}

interface Kubeconfig {
  'current-context'?: string;
  contexts?: { name: string; context: { cluster: string; user: string } }[];
  clusters?: { name: string; cluster: { server: string; 'certificate-authority-data'?: string } }[];
  users?: {
    name: string;
    user: {
      token?: string;
      exec?: { command: string; args?: string[]; env?: { name: string; value: string }[] };
    };
  }[];
}

export interface KubeconfigContext {
  /** the EKS cluster name: the ARN's last part, `slbc-local-<name>`'s name, else the entry's name */
  clusterName: string;
  target: KubeApiTarget;
}

/** The current context of a kubeconfig: its server, CA and a token (static, or from its exec plugin). */
export function kubeconfigContext(text: string, where: string, runExec = runExecPlugin): KubeconfigContext {
  const config = (parseYaml(text) ?? {}) as Kubeconfig;
  const contextName = config['current-context'];
  const context = config.contexts?.find((entry) => entry.name === contextName)?.context;
  if (!context)
    throw new CliError('InvalidKubeconfig', `${where}: current-context "${contextName}" not found`);
  const cluster = config.clusters?.find((entry) => entry.name === context.cluster)?.cluster;
  if (!cluster?.server)
    throw new CliError('InvalidKubeconfig', `${where}: cluster "${context.cluster}" has no server`);
  const user = config.users?.find((entry) => entry.name === context.user)?.user;
  const token = user?.token ?? (user?.exec ? runExec(user.exec) : undefined);
  if (!token)
    throw new CliError('InvalidKubeconfig', `${where}: user "${context.user}" has neither token nor exec`);
  const arn = /^arn:aws[\w-]*:eks:[^:]*:\d*:cluster\/(.+)$/.exec(context.cluster);
  const local = /^slbc-local-(.+)$/.exec(context.cluster);
  return {
    clusterName: arn?.[1] ?? local?.[1] ?? context.cluster,
    target: {
      server: cluster.server,
      token,
      ...(cluster['certificate-authority-data'] ? { caData: cluster['certificate-authority-data'] } : {}),
    },
  };
}

/** `aws eks get-token` and friends print an ExecCredential; its status.token is the bearer token */
function runExecPlugin(exec: NonNullable<NonNullable<Kubeconfig['users']>[number]['user']['exec']>): string {
  const env = {
    ...process.env,
    ...Object.fromEntries((exec.env ?? []).map((item) => [item.name, item.value])),
  };
  const output = execFileSync(exec.command, exec.args ?? [], { env, encoding: 'utf8' });
  const token = (JSON.parse(output) as { status?: { token?: string } }).status?.token;
  if (!token) throw new CliError('InvalidKubeconfig', `kubeconfig exec ${exec.command}: no status.token`);
  return token;
}

/** Lists the plan's kinds through the Kubernetes API. */
export async function readKubernetes(context: KubeconfigContext, where: string): Promise<ClusterObjects> {
  const api = createKubeApi(context.target);
  const objects: AnyObject[] = [];
  for (const kind of PLAN_KINDS) {
    const list = await api.list(kind);
    for (const item of list.items) objects.push(trimObject(kind, item, `${where} ${kind} list`));
  }
  return { objects, source: `Kubernetes API ${context.target.server} (${where})` };
}

/** The objects as the stacks function's mirror would answer for them (read-only, in memory). */
export function memoryObjects(cluster: string, objects: readonly AnyObject[]): StackObjects {
  const kindOf = (object: AnyObject): string => (object as { kind?: string }).kind ?? '';
  const matches = (object: AnyObject, kind: Kind, namespace?: string) =>
    kindOf(object) === kind && (namespace === undefined || object.metadata.namespace === namespace);
  return {
    async listObjects<K extends Kind>(of: string, kind: K, namespace?: string) {
      if (of !== cluster) return [];
      return objects.filter((object) => matches(object, kind, namespace)) as ObjectsByKind[K][];
    },
    async getObject<K extends Kind>(of: string, kind: K, namespace: string | undefined, name: string) {
      if (of !== cluster) return undefined;
      return objects.find((object) => matches(object, kind, namespace) && object.metadata.name === name) as
        | ObjectsByKind[K]
        | undefined;
    },
  };
}
