import { InvalidInputError } from './errors.js';
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
  /** days history and tombstones are kept */
  historyDays: z._default(z.coerce.number().check(z.int(), z.positive()), 14),
});
export type Config = z.infer<typeof ConfigSchema>;

const ENV_NAMES: Record<keyof Config, string> = {
  tableName: 'SLBC_TABLE_NAME',
  busName: 'SLBC_BUS_NAME',
  clusters: 'SLBC_CLUSTERS',
  ingressClass: 'SLBC_INGRESS_CLASS',
  defaultTargetType: 'SLBC_DEFAULT_TARGET_TYPE',
  defaultScheme: 'SLBC_DEFAULT_SCHEME',
  serviceClaim: 'SLBC_SERVICE_CLAIM',
  leaseSeconds: 'SLBC_LEASE_SECONDS',
  historyDays: 'SLBC_HISTORY_DAYS',
};

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
  return result.data;
}
