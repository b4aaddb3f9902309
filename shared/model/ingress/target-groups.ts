import type { Ingress, Service, ServicePort } from '../../k8s/objects.js';
import {
  type Annotations,
  annotationField,
  INGRESS_PREFIX,
  parseBool,
  parseInt32,
  parseString,
  parseStringMap,
} from '../annotations/parse.js';
import { unsupportedBackendServiceAnnotation } from '../annotations/supported.js';
import { attributesOf } from '../attributes.js';
import type { ModelEnvironment } from '../inputs.js';
import { albTargetGroupName } from '../names.js';
import type { HealthCheckConfig, TargetGroupResource, TargetGroupSpec, TargetType } from '../stack.js';
import { TAG_KEYS } from '../tags.js';
import { targetGroupAttributeProblem } from '../validate/attributes.js';
import { type HealthCheckSetting, healthCheckProblems } from '../validate/health-check.js';

/**
 * One ALB target group per (Ingress, Service, port as written), as pkg/ingress/model_build_target_group.go:
 * the Service's annotations override the Ingress's key by key; health-check defaults per protocol.
 */

export type Built<T> = { value: T } | { error: string; field: string };

const key = (suffix: string) => `${INGRESS_PREFIX}/${suffix}`;

export function findServicePort(service: Service, port: string | number): ServicePort | undefined {
  return service.spec.ports?.find((candidate) =>
    typeof port === 'number' ? candidate.port === port : candidate.name === port,
  );
}

export interface TargetGroupRequest {
  env: ModelEnvironment;
  groupId: string;
  stackTags: Record<string, string>;
  ingress: Ingress;
  service: Service;
  /** as written in the Ingress: a port name or number */
  servicePort: string | number;
}

function enumValue<T extends string>(
  annotations: Annotations,
  suffix: string,
  allowed: readonly T[],
  fallback: T,
  message: (raw: string) => string,
): Built<T> {
  const raw = parseString(annotations, key(suffix));
  if (raw === undefined) return { value: fallback };
  if ((allowed as readonly string[]).includes(raw)) return { value: raw as T };
  return { error: message(raw), field: annotationField(key(suffix)) };
}

function int(annotations: Annotations, suffix: string, fallback: number): Built<number> {
  const parsed = parseInt32(annotations, key(suffix));
  if (!parsed.ok) return { error: parsed.error, field: annotationField(key(suffix)) };
  return { value: parsed.value ?? fallback };
}

/** The port targets listen on: NodePort for instance targets, targetPort for ip (1 when it is a name). */
function trafficPort(targetType: TargetType, servicePort: ServicePort): Built<number> {
  if (targetType === 'instance') {
    if (!servicePort.nodePort) {
      return {
        error:
          "TargetGroup port is empty. When using Instance targets, your service be must of type 'NodePort' or 'LoadBalancer'",
        field: 'spec.ports',
      };
    }
    return { value: servicePort.nodePort };
  }
  const target = servicePort.targetPort ?? servicePort.port;
  return { value: typeof target === 'number' ? target : 1 };
}

function healthCheckPort(
  annotations: Annotations,
  targetType: TargetType,
  service: Service,
): Built<number | 'traffic-port'> {
  const raw = parseString(annotations, key('healthcheck-port')) ?? 'traffic-port';
  const field = annotationField(key('healthcheck-port'));
  if (raw === 'traffic-port') return { value: raw };
  if (/^[0-9]+$/.test(raw)) return { value: Number(raw) };
  const named = findServicePort(service, raw);
  if (!named) return { error: `unable to find port ${raw} on service ${serviceKey(service)}`, field };
  if (targetType === 'instance') {
    return named.nodePort ? { value: named.nodePort } : { error: `port ${raw} has no NodePort`, field };
  }
  const target = named.targetPort ?? named.port;
  if (typeof target !== 'number') {
    return {
      error: "cannot use named healthCheckPort for IP TargetType when service's targetPort is a named port",
      field,
    };
  }
  return { value: target };
}

function serviceKey(service: Service): string {
  return `${service.metadata.namespace ?? ''}/${service.metadata.name}`;
}

export function targetGroupId(ingress: Ingress, serviceName: string, servicePort: string | number): string {
  return `${ingress.metadata.namespace ?? ''}/${ingress.metadata.name}-${serviceName}:${servicePort}`;
}

export function buildTargetGroup(
  request: TargetGroupRequest,
): Built<{ id: string; resource: TargetGroupResource }> {
  const { env, ingress, service, servicePort: portAsWritten } = request;
  const unsupported = unsupportedBackendServiceAnnotation(service.metadata.annotations ?? {});
  if (unsupported)
    return { error: `Service ${serviceKey(service)}: ${unsupported.message}`, field: unsupported.field };
  const annotations: Annotations = { ...ingress.metadata.annotations, ...service.metadata.annotations };
  const servicePort = findServicePort(service, portAsWritten);
  if (!servicePort) {
    return {
      error: `unable to find port ${portAsWritten} on service ${serviceKey(service)}`,
      field: 'spec.rules.http.paths.backend.service.port',
    };
  }
  const targetType = enumValue<TargetType>(
    annotations,
    'target-type',
    ['instance', 'ip'],
    env.config.defaultTargetType,
    (raw) => `unknown targetType: ${raw}`,
  );
  if ('error' in targetType) return targetType;
  const protocol = enumValue(
    annotations,
    'backend-protocol',
    ['HTTP', 'HTTPS'] as const,
    'HTTP',
    (raw) => `backend protocol must be within [HTTP, HTTPS]: ${raw}`,
  );
  if ('error' in protocol) return protocol;
  const protocolVersion = enumValue(
    annotations,
    'backend-protocol-version',
    ['HTTP1', 'HTTP2', 'GRPC'] as const,
    'HTTP1',
    (raw) => `backend protocol version must be within [HTTP1, HTTP2, GRPC]: ${raw}`,
  );
  if ('error' in protocolVersion) return protocolVersion;
  const port = trafficPort(targetType.value, servicePort);
  if ('error' in port) return port;
  const healthCheck = buildHealthCheck(
    annotations,
    targetType.value,
    protocol.value,
    protocolVersion.value,
    service,
  );
  if ('error' in healthCheck) return healthCheck;
  const [hcProblem] = healthCheckProblems(healthCheck.value, 'application');
  if (hcProblem) {
    return {
      error: hcProblem.message,
      field: annotationField(key(HEALTH_CHECK_ANNOTATIONS[hcProblem.setting])),
    };
  }
  const attributes = parseStringMap(annotations, key('target-group-attributes'));
  if (!attributes.ok)
    return { error: attributes.error, field: annotationField(key('target-group-attributes')) };
  const attributeProblem = targetGroupAttributeProblem(attributes.value ?? {}, 'application');
  if (attributeProblem) {
    return { error: attributeProblem, field: annotationField(key('target-group-attributes')) };
  }
  const userTags = parseStringMap(annotations, key('tags'));
  if (!userTags.ok) return { error: userTags.error, field: annotationField(key('tags')) };
  const nodeLabels = parseStringMap(annotations, key('target-node-labels'));
  if (!nodeLabels.ok) return { error: nodeLabels.error, field: annotationField(key('target-node-labels')) };
  const multiCluster = parseBool(annotations, key('multi-cluster-target-group'));
  if (!multiCluster.ok)
    return { error: multiCluster.error, field: annotationField(key('multi-cluster-target-group')) };

  const ipAddressType = service.spec.ipFamilies?.[0] === 'IPv6' ? 'ipv6' : 'ipv4';
  const id = targetGroupId(ingress, service.metadata.name, portAsWritten);
  const name = albTargetGroupName({
    clusterName: env.clusterName,
    groupId: request.groupId,
    ingressNamespace: ingress.metadata.namespace ?? '',
    ingressName: ingress.metadata.name,
    serviceNamespace: service.metadata.namespace ?? '',
    serviceName: service.metadata.name,
    serviceUid: service.metadata.uid ?? '',
    servicePort: portAsWritten,
    targetGroupPort: port.value,
    targetType: targetType.value,
    protocol: protocol.value,
    protocolVersion: protocolVersion.value,
  });
  const spec: TargetGroupSpec = {
    name,
    targetType: targetType.value,
    ipAddressType,
    port: port.value,
    protocol: protocol.value,
    protocolVersion: protocolVersion.value,
    healthCheckConfig: healthCheck.value,
    targetGroupAttributes: attributesOf(attributes.value ?? {}),
    tags: {
      ...userTags.value,
      ...request.env.defaultTags,
      ...request.stackTags,
      [TAG_KEYS.ingressResource]: id,
    },
  };
  // the ports the load balancer must reach: traffic (a named targetPort stays a name) and health checks
  const target = targetType.value === 'instance' ? port.value : (servicePort.targetPort ?? servicePort.port);
  const ports: { port: number | string; protocol: 'TCP' }[] = [{ port: target, protocol: 'TCP' }];
  const hcPort = healthCheck.value.port;
  if (hcPort !== 'traffic-port' && hcPort !== target) ports.push({ port: hcPort, protocol: 'TCP' });
  const resource: TargetGroupResource = {
    spec,
    binding: {
      name,
      namespace: service.metadata.namespace ?? '',
      serviceRef: { name: service.metadata.name, port: portAsWritten },
      targetType: targetType.value,
      targetGroupProtocol: protocol.value,
      ipAddressType,
      vpcID: env.vpcId,
      // `from` is filled in by the group build, which knows the load balancer's security groups
      networking: { ingress: ports.map((entry) => ({ from: [], ports: [entry] })) },
      ...(targetType.value === 'instance' && nodeLabels.value
        ? { nodeSelector: { matchLabels: nodeLabels.value } }
        : {}),
      ...(multiCluster.value ? { multiClusterTargetGroup: true } : {}),
    },
    source: { kind: 'Ingress', namespace: ingress.metadata.namespace ?? '', name: ingress.metadata.name },
  };
  return { value: { id, resource } };
}

/** The annotation (suffix) that sets each health check setting, for error reports. */
const HEALTH_CHECK_ANNOTATIONS: Record<HealthCheckSetting, string> = {
  port: 'healthcheck-port',
  path: 'healthcheck-path',
  matcher: 'success-codes',
  intervalSeconds: 'healthcheck-interval-seconds',
  timeoutSeconds: 'healthcheck-timeout-seconds',
  healthyThresholdCount: 'healthy-threshold-count',
  unhealthyThresholdCount: 'unhealthy-threshold-count',
};

function buildHealthCheck(
  annotations: Annotations,
  targetType: TargetType,
  protocol: 'HTTP' | 'HTTPS',
  protocolVersion: 'HTTP1' | 'HTTP2' | 'GRPC',
  service: Service,
): Built<HealthCheckConfig> {
  const port = healthCheckPort(annotations, targetType, service);
  if ('error' in port) return port;
  const hcProtocol = enumValue(
    annotations,
    'healthcheck-protocol',
    ['HTTP', 'HTTPS'] as const,
    protocol,
    () => 'healthCheckProtocol must be within [HTTP, HTTPS]',
  );
  if ('error' in hcProtocol) return hcProtocol;
  const grpc = protocolVersion === 'GRPC';
  const path = parseString(annotations, key('healthcheck-path')) ?? (grpc ? '/AWS.ALB/healthcheck' : '/');
  const codes = parseString(annotations, key('success-codes')) ?? (grpc ? '12' : '200');
  const interval = int(annotations, 'healthcheck-interval-seconds', 15);
  if ('error' in interval) return interval;
  const timeout = int(annotations, 'healthcheck-timeout-seconds', 5);
  if ('error' in timeout) return timeout;
  const healthy = int(annotations, 'healthy-threshold-count', 2);
  if ('error' in healthy) return healthy;
  const unhealthy = int(annotations, 'unhealthy-threshold-count', 2);
  if ('error' in unhealthy) return unhealthy;
  return {
    value: {
      port: port.value,
      protocol: hcProtocol.value,
      path,
      matcher: grpc ? { grpcCode: codes } : { httpCode: codes },
      intervalSeconds: interval.value,
      timeoutSeconds: timeout.value,
      healthyThresholdCount: healthy.value,
      unhealthyThresholdCount: unhealthy.value,
    },
  };
}
