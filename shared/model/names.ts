import { createHash } from 'node:crypto';

/**
 * AWS names exactly as the LBC generates them, so slbc computes the same name for a load balancer
 * or target group the LBC already created. The hash is the first 10 hex characters of sha256 over
 * the listed parts concatenated WITHOUT separators (as Go's successive hash.Write calls); name parts
 * are stripped of non-alphanumerics and truncated (Go's `%.8s`).
 */

export function hash10(parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex').slice(0, 10);
}

export function sanitize(value: string): string {
  return value.replace(/[^a-zA-Z0-9]/g, '');
}

/** `k8s-<ns8>-<name8>-<hash10>`: implicit groups, Services, target groups. */
export function namespacedName(namespace: string, name: string, hashParts: readonly string[]): string {
  return `k8s-${sanitize(namespace).slice(0, 8)}-${sanitize(name).slice(0, 8)}-${hash10(hashParts)}`;
}

/** `k8s-<group17>-<hash10>`: explicit groups (4 + 17 + 1 + 10 = 32, the AWS limit). */
export function groupName(group: string, hashParts: readonly string[]): string {
  return `k8s-${sanitize(group).slice(0, 17)}-${hash10(hashParts)}`;
}

/** The ALB (and its managed security group) of an Ingress group: `groupId` is `ns/name` or the group name. */
export function ingressGroupResourceName(
  group: { namespace: string; name: string },
  hashParts: readonly string[],
): string {
  return group.namespace === ''
    ? groupName(group.name, hashParts)
    : namespacedName(group.namespace, group.name, hashParts);
}

export interface AlbTargetGroupNameInput {
  clusterName: string;
  groupId: string;
  ingressNamespace: string;
  ingressName: string;
  serviceNamespace: string;
  serviceName: string;
  serviceUid: string;
  /** the Ingress's servicePort as written: a name or a number */
  servicePort: string | number;
  targetGroupPort: number;
  targetType: string;
  protocol: string;
  protocolVersion: string;
}

export function albTargetGroupName(input: AlbTargetGroupNameInput): string {
  return namespacedName(input.serviceNamespace, input.serviceName, [
    input.clusterName,
    input.groupId,
    input.ingressNamespace,
    input.ingressName,
    input.serviceUid,
    String(input.servicePort),
    String(input.targetGroupPort),
    input.targetType,
    input.protocol,
    input.protocolVersion,
  ]);
}

export interface NlbTargetGroupNameInput {
  clusterName: string;
  serviceNamespace: string;
  serviceName: string;
  serviceUid: string;
  servicePort: number;
  targetGroupPort: number;
  targetType: string;
  protocol: string;
  healthCheckProtocol: string;
  healthCheckInterval: number;
}

export function nlbTargetGroupName(input: NlbTargetGroupNameInput): string {
  return namespacedName(input.serviceNamespace, input.serviceName, [
    input.clusterName,
    input.serviceUid,
    String(input.targetGroupPort),
    String(input.servicePort),
    input.targetType,
    input.protocol,
    input.healthCheckProtocol,
    String(input.healthCheckInterval),
  ]);
}
