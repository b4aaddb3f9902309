import { InvalidInputError } from './errors.js';
import { TAG_KEYS } from './model/tags.js';
import * as z from './zod.js';

/**
 * Runtime configuration, from the environment serverless.yml (or the local runtime) sets.
 * Parsed once, validated, and passed down explicitly: the core never reads process.env.
 */
const ConfigSchema = z.object({
  /** DynamoDB table holding the mirror, work queue, ownership and history */
  tableName: z._default(z.string().check(z.minLength(1)), 'slbc-local'),
  /** the EventBridge bus slbc publishes to */
  busName: z._default(z.string().check(z.minLength(1)), 'slbc-local'),
  /** EKS cluster names this deployment serves; events from others are refused */
  clusters: z.pipe(
    z._default(z.string(), 'demo'),
    z.transform((value) =>
      value
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean),
    ),
  ),
  /** IngressClass name that the legacy `kubernetes.io/ingress.class` annotation must carry */
  ingressClass: z._default(z.string().check(z.minLength(1)), 'alb'),
  /** target type when an Ingress or Service does not say */
  defaultTargetType: z._default(z.enum(['ip', 'instance']), 'instance'),
  /** scheme when an Ingress or Service does not say */
  defaultScheme: z._default(z.enum(['internal', 'internet-facing']), 'internal'),
  /** `all`: every LoadBalancer Service without a foreign loadBalancerClass (as the LBC's webhook); `annotated`: only those that ask */
  serviceClaim: z._default(z.enum(['all', 'annotated']), 'all'),
  /** seconds a work-queue lease is held before another invocation may take it over */
  leaseSeconds: z._default(z.coerce.number().check(z.int(), z.positive()), 60),
  /**
   * the function's own timeout (SLBC_FUNCTION_TIMEOUT_SECONDS, set by serverless.yml next to
   * the lease): a lease must outlive the invocation holding it, checked below
   */
  functionTimeoutSeconds: z.optional(z.coerce.number().check(z.int(), z.positive())),
  /** days history and tombstones are kept */
  historyDays: z._default(z.coerce.number().check(z.int(), z.positive()), 14),
  /** who may join an explicit Ingress group: `same` namespace as its oldest member, or `any` */
  groupNamespaces: z._default(z.enum(['same', 'any']), 'same'),
  /** SLBC_DEFAULT_TAGS as given (`key=value,...`); parsed into `defaultTags` below */
  defaultTags: z._default(z.string(), ''),
  /** SLBC_CLUSTER_SETTINGS as given; parsed into `clusterSettings` below */
  clusterSettings: z._default(z.string(), ''),
});

/** What a cluster may set for itself in the `clusterSettings` parameter. */
export interface ClusterSettings {
  ingressClass?: string;
  defaultTargetType?: 'ip' | 'instance';
  defaultScheme?: 'internal' | 'internet-facing';
  serviceClaim?: 'all' | 'annotated';
  groupNamespaces?: 'same' | 'any';
}

export type Config = Omit<z.infer<typeof ConfigSchema>, 'defaultTags' | 'clusterSettings'> & {
  /**
   * Tags for every load balancer, target group and security group slbc creates, like the
   * LBC's --default-tags (the `defaultTags` deploy parameter). Never one of TAG_KEYS.
   */
  defaultTags: Record<string, string>;
  /** per-cluster overrides (the `clusterSettings` deploy parameter); see `settingsFor` */
  clusterSettings: Record<string, ClusterSettings>;
};

/** What `settingsFor` reads: the deployment-wide values and the per-cluster overrides. */
export type ClusterScopedConfig = Pick<Config, keyof ClusterSettings | 'defaultTags' | 'clusterSettings'>;

/**
 * The configuration with one cluster's overrides applied, for code that takes a whole config
 * (model environment, routing): every per-cluster decision reads through this, never the raw values.
 */
export function configForCluster<C extends ClusterScopedConfig>(config: C, cluster: string): C {
  return { ...config, ...settingsFor(config, cluster) };
}

/** The settings that apply to one cluster: its overrides over the deployment-wide values. */
export function settingsFor(
  config: ClusterScopedConfig,
  cluster: string,
): Required<ClusterSettings> & { defaultTags: Record<string, string> } {
  const own = config.clusterSettings[cluster] ?? {};
  return {
    ingressClass: own.ingressClass ?? config.ingressClass,
    defaultTargetType: own.defaultTargetType ?? config.defaultTargetType,
    defaultScheme: own.defaultScheme ?? config.defaultScheme,
    serviceClaim: own.serviceClaim ?? config.serviceClaim,
    groupNamespaces: own.groupNamespaces ?? config.groupNamespaces,
    defaultTags: config.defaultTags,
  };
}

const ENV_NAMES: Record<keyof Config, string> = {
  tableName: 'SLBC_TABLE_NAME',
  busName: 'SLBC_BUS_NAME',
  clusters: 'SLBC_CLUSTERS',
  ingressClass: 'SLBC_INGRESS_CLASS',
  defaultTargetType: 'SLBC_DEFAULT_TARGET_TYPE',
  defaultScheme: 'SLBC_DEFAULT_SCHEME',
  serviceClaim: 'SLBC_SERVICE_CLAIM',
  leaseSeconds: 'SLBC_LEASE_SECONDS',
  functionTimeoutSeconds: 'SLBC_FUNCTION_TIMEOUT_SECONDS',
  historyDays: 'SLBC_HISTORY_DAYS',
  groupNamespaces: 'SLBC_GROUP_NAMESPACES',
  defaultTags: 'SLBC_DEFAULT_TAGS',
  clusterSettings: 'SLBC_CLUSTER_SETTINGS',
};

function invalid(key: keyof Config, message: string): InvalidInputError {
  return new InvalidInputError(`invalid configuration ${ENV_NAMES[key]}: ${message}`, {
    subject: { kind: 'Configuration', name: 'environment', field: ENV_NAMES[key] },
  });
}

const RESERVED_TAG_KEYS = new Set<string>(Object.values(TAG_KEYS));

/** `key=value,key2=value2`, the grammar infra/deploy/params.cjs checks at deploy time. */
export function parseDefaultTags(value: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const pair of value.trim() === '' ? [] : value.split(',')) {
    const at = pair.indexOf('=');
    const key = pair.slice(0, at).trim();
    if (at < 0 || key === '') throw invalid('defaultTags', `"${pair}" is not key=value`);
    if (RESERVED_TAG_KEYS.has(key) || key.toLowerCase().startsWith('aws:'))
      throw invalid('defaultTags', `tag key "${key}" is reserved`);
    if (key in tags) throw invalid('defaultTags', `tag key "${key}" is given twice`);
    tags[key] = pair.slice(at + 1).trim();
  }
  return tags;
}

const OVERRIDES: Record<keyof ClusterSettings, readonly string[] | undefined> = {
  ingressClass: undefined,
  defaultTargetType: ['ip', 'instance'],
  defaultScheme: ['internal', 'internet-facing'],
  serviceClaim: ['all', 'annotated'],
  groupNamespaces: ['same', 'any'],
};

/** `<cluster>:<setting>=<value>[,...][;<cluster>:...]`, as infra/deploy/params.cjs checks it. */
export function parseClusterSettings(
  value: string,
  clusters: readonly string[],
): Record<string, ClusterSettings> {
  const settings: Record<string, ClusterSettings> = {};
  for (const group of value.split(';').filter((part) => part.trim() !== '')) {
    const colon = group.indexOf(':');
    const cluster = group.slice(0, colon).trim();
    if (colon < 0 || cluster === '')
      throw invalid('clusterSettings', `"${group}" is not <cluster>:<setting>=<value>`);
    if (!clusters.includes(cluster)) throw invalid('clusterSettings', `cluster "${cluster}" is not served`);
    if (cluster in settings) throw invalid('clusterSettings', `cluster "${cluster}" is given twice`);
    const own: Record<string, string> = {};
    for (const pair of group.slice(colon + 1).split(',')) {
      const [key = '', setting = ''] = pair.split('=').map((part) => part.trim());
      if (!Object.hasOwn(OVERRIDES, key))
        throw invalid('clusterSettings', `"${key}" cannot be set per cluster`);
      const allowed = OVERRIDES[key as keyof ClusterSettings];
      if (allowed ? !allowed.includes(setting) : setting === '')
        throw invalid('clusterSettings', `${cluster}:${key}=${JSON.stringify(setting)} is not allowed`);
      own[key] = setting;
    }
    settings[cluster] = own as ClusterSettings;
  }
  return settings;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const raw: Record<string, string> = {};
  for (const [key, name] of Object.entries(ENV_NAMES)) {
    const value = env[name];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const result = ConfigSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = String(issue?.path[0] ?? '') as keyof Config;
    throw new InvalidInputError(`invalid configuration ${ENV_NAMES[key] ?? key}: ${issue?.message}`, {
      subject: { kind: 'Configuration', name: 'environment', field: ENV_NAMES[key] ?? key },
    });
  }
  const { leaseSeconds, functionTimeoutSeconds } = result.data;
  // A lease shorter than the invocation lets a second invocation take the key over while the
  // first still writes; fencing (WorkQueue.stillHolds) catches it, but only as a last resort.
  if (functionTimeoutSeconds !== undefined && leaseSeconds <= functionTimeoutSeconds) {
    throw invalid(
      'leaseSeconds',
      `${leaseSeconds} s must exceed the function timeout (SLBC_FUNCTION_TIMEOUT_SECONDS=${functionTimeoutSeconds} s), or a second invocation takes a key over while the first still writes`,
    );
  }
  return {
    ...result.data,
    defaultTags: parseDefaultTags(result.data.defaultTags),
    clusterSettings: parseClusterSettings(result.data.clusterSettings, result.data.clusters),
  };
}
