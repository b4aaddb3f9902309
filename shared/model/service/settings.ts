import type { Service } from '../../k8s/objects.js';
import {
  type Annotations,
  annotationField,
  parseInt32,
  parseString,
  parseStringList,
  parseStringMap,
} from '../annotations/parse.js';
import type { ModelEnvironment } from '../inputs.js';
import type { HealthCheckConfig, IpAddressType, Scheme, TargetType } from '../stack.js';
import { type HealthCheckSetting, healthCheckProblems } from '../validate/health-check.js';
import { serviceKey } from './claim.js';

/**
 * The NLB settings one Service's annotations ask for (pkg/service/model_build_*.go), with the
 * LBC's defaults. Each reader returns a value or an error naming the annotation.
 */

export type Read<T> = { value: T } | { error: string; field: string };

const failed = (suffix: string, error: string): { error: string; field: string } => ({
  error,
  field: annotationField(serviceKey(suffix)),
});

export function readTargetType(service: Service, env: ModelEnvironment): Read<TargetType> {
  const annotations = service.metadata.annotations ?? {};
  const raw = parseString(annotations, serviceKey('aws-load-balancer-nlb-target-type'));
  let targetType: TargetType = env.config.defaultTargetType;
  if (raw !== undefined) {
    if (raw !== 'ip' && raw !== 'instance') {
      return failed('aws-load-balancer-nlb-target-type', `unsupported target type "${raw}"`);
    }
    targetType = raw;
  } else if (parseString(annotations, serviceKey('aws-load-balancer-type')) === 'nlb-ip') {
    targetType = 'ip';
  }
  if (targetType === 'instance' && service.spec.type === 'ClusterIP') {
    return failed(
      'aws-load-balancer-nlb-target-type',
      `unsupported service type "ClusterIP" for load balancer target type "instance"`,
    );
  }
  return { value: targetType };
}

export function readScheme(service: Service, env: ModelEnvironment): Read<Scheme> {
  const annotations = service.metadata.annotations ?? {};
  const raw = parseString(annotations, serviceKey('aws-load-balancer-scheme'));
  if (raw !== undefined) {
    if (raw !== 'internal' && raw !== 'internet-facing')
      return failed('aws-load-balancer-scheme', `unknown scheme: ${raw}`);
    return { value: raw };
  }
  const legacy = parseString(annotations, serviceKey('aws-load-balancer-internal'));
  if (legacy !== undefined) return { value: legacy === 'true' ? 'internal' : 'internet-facing' };
  // unchanged annotations must never flip an existing NLB's scheme (that would replace it)
  return { value: env.existingLoadBalancer?.scheme ?? env.config.defaultScheme };
}

export function readIpAddressType(annotations: Annotations): Read<IpAddressType> {
  const raw = parseString(annotations, serviceKey('aws-load-balancer-ip-address-type')) ?? 'ipv4';
  if (raw !== 'ipv4' && raw !== 'dualstack')
    return failed('aws-load-balancer-ip-address-type', `unknown IPAddressType: ${raw}`);
  return { value: raw };
}

export function readMap(annotations: Annotations, suffix: string): Read<Record<string, string>> {
  const parsed = parseStringMap(annotations, serviceKey(suffix));
  if (!parsed.ok) return failed(suffix, parsed.error);
  return { value: parsed.value ?? {} };
}

export function readList(annotations: Annotations, suffix: string): string[] | undefined {
  return parseStringList(annotations, serviceKey(suffix));
}

function readInt(annotations: Annotations, suffix: string, fallback: number): Read<number> {
  const parsed = parseInt32(annotations, serviceKey(suffix));
  if (!parsed.ok) return failed(suffix, parsed.error);
  return { value: parsed.value ?? fallback };
}

/**
 * NLB health checks: TCP on the traffic port every 10 s, 10 s timeout, thresholds 3/3; instance
 * targets with externalTrafficPolicy Local check kube-proxy's HTTP /healthz on healthCheckNodePort.
 */
export function readHealthCheck(service: Service, targetType: TargetType): Read<HealthCheckConfig> {
  const annotations = service.metadata.annotations ?? {};
  const local =
    targetType === 'instance' &&
    service.spec.externalTrafficPolicy === 'Local' &&
    service.spec.healthCheckNodePort !== undefined;
  const rawProtocol = parseString(annotations, serviceKey('aws-load-balancer-healthcheck-protocol'));
  const protocol = rawProtocol?.toUpperCase() ?? (local ? 'HTTP' : 'TCP');
  if (protocol !== 'TCP' && protocol !== 'HTTP' && protocol !== 'HTTPS') {
    return failed(
      'aws-load-balancer-healthcheck-protocol',
      `unsupported health check protocol: ${rawProtocol}`,
    );
  }
  const rawPort = parseString(annotations, serviceKey('aws-load-balancer-healthcheck-port'));
  let port: number | 'traffic-port' = local ? service.spec.healthCheckNodePort! : 'traffic-port';
  if (rawPort !== undefined && rawPort !== 'traffic-port') {
    if (/^[0-9]+$/.test(rawPort)) port = Number(rawPort);
    else {
      const named = service.spec.ports?.find((candidate) => candidate.name === rawPort);
      const resolved = targetType === 'instance' ? named?.nodePort : named?.targetPort;
      if (typeof resolved !== 'number') {
        return failed('aws-load-balancer-healthcheck-port', `health check port "${rawPort}" not found`);
      }
      port = resolved;
    }
  } else if (rawPort === 'traffic-port') {
    port = 'traffic-port';
  }
  const interval = readInt(annotations, 'aws-load-balancer-healthcheck-interval', 10);
  if ('error' in interval) return interval;
  const timeout = readInt(annotations, 'aws-load-balancer-healthcheck-timeout', local ? 6 : 10);
  if ('error' in timeout) return timeout;
  const healthy = readInt(annotations, 'aws-load-balancer-healthcheck-healthy-threshold', local ? 2 : 3);
  if ('error' in healthy) return healthy;
  const unhealthy = readInt(annotations, 'aws-load-balancer-healthcheck-unhealthy-threshold', local ? 2 : 3);
  if ('error' in unhealthy) return unhealthy;
  const config: HealthCheckConfig = {
    port,
    protocol,
    intervalSeconds: interval.value,
    timeoutSeconds: timeout.value,
    healthyThresholdCount: healthy.value,
    unhealthyThresholdCount: unhealthy.value,
  };
  if (protocol !== 'TCP') {
    config.path =
      parseString(annotations, serviceKey('aws-load-balancer-healthcheck-path')) ??
      (local ? '/healthz' : '/');
    config.matcher = {
      httpCode:
        parseString(annotations, serviceKey('aws-load-balancer-healthcheck-success-codes')) ?? '200-399',
    };
  }
  const [problem] = healthCheckProblems(config, 'network');
  if (problem) return failed(HEALTH_CHECK_ANNOTATIONS[problem.setting], problem.message);
  return { value: config };
}

/** The annotation (suffix) that sets each health check setting, for error reports. */
const HEALTH_CHECK_ANNOTATIONS: Record<HealthCheckSetting, string> = {
  port: 'aws-load-balancer-healthcheck-port',
  path: 'aws-load-balancer-healthcheck-path',
  matcher: 'aws-load-balancer-healthcheck-success-codes',
  intervalSeconds: 'aws-load-balancer-healthcheck-interval',
  timeoutSeconds: 'aws-load-balancer-healthcheck-timeout',
  healthyThresholdCount: 'aws-load-balancer-healthcheck-healthy-threshold',
  unhealthyThresholdCount: 'aws-load-balancer-healthcheck-unhealthy-threshold',
};
