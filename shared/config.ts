import * as z from 'zod';
import { InvalidInputError } from './errors.js';

/**
 * Runtime configuration, from the environment serverless.yml (or the local runtime) sets.
 * Parsed once, validated, and passed down explicitly: the core never reads process.env.
 */
const ConfigSchema = z.object({
  /** DynamoDB table holding the mirror, work queue, ownership and history */
  tableName: z.string().min(1).default('slbc-local'),
  /** the EventBridge bus slbc publishes to */
  busName: z.string().min(1).default('slbc-local'),
  /** EKS cluster names this deployment serves; events from others are refused */
  clusters: z
    .string()
    .default('demo')
    .transform((value) =>
      value
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean),
    ),
  /** IngressClass name that the legacy `kubernetes.io/ingress.class` annotation must carry */
  ingressClass: z.string().min(1).default('alb'),
  /** target type when an Ingress or Service does not say */
  defaultTargetType: z.enum(['ip', 'instance']).default('instance'),
  /** scheme when an Ingress or Service does not say */
  defaultScheme: z.enum(['internal', 'internet-facing']).default('internal'),
  /** `all`: every LoadBalancer Service without a foreign loadBalancerClass (as the LBC's webhook); `annotated`: only those that ask */
  serviceClaim: z.enum(['all', 'annotated']).default('all'),
  /** seconds a work-queue lease is held before another invocation may take it over */
  leaseSeconds: z.coerce.number().int().positive().default(60),
  /** days history and tombstones are kept */
  historyDays: z.coerce.number().int().positive().default(14),
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
