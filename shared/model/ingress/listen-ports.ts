import { isIP } from 'node:net';
import type { Ingress } from '../../k8s/objects.js';
import {
  annotationField,
  INGRESS_PREFIX,
  parseString,
  parseStringList,
  parseStringMap,
} from '../annotations/parse.js';
import { certificateArnProblem } from '../validate/arn.js';

/**
 * The listeners one Ingress asks for (pkg/ingress/model_build_listener.go): `listen-ports`, or HTTPS:443
 * when it names certificates, else HTTP:80; with each port's inbound CIDRs, certificates and SSL policy.
 */

export interface ListenPort {
  port: number;
  protocol: 'HTTP' | 'HTTPS';
  /** absent: this Ingress does not restrict the port (the group default 0.0.0.0/0 applies) */
  inboundCidrs?: string[];
  /** HTTPS only */
  certificateArns: string[];
  sslPolicy?: string;
  /** `listener-attributes.<PROTOCOL>-<port>`; absent when this Ingress sets none */
  attributes?: Record<string, string>;
}

const key = (suffix: string) => `${INGRESS_PREFIX}/${suffix}`;

type Parsed = { value: ListenPort[] } | { error: string; field: string };

/** Go's net.ParseCIDR accepts `a.b.c.d/n` and IPv6 `x::/n` with an in-range prefix. */
export function isCidr(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash < 0) return false;
  const family = isIP(value.slice(0, slash));
  const bits = value.slice(slash + 1);
  if (family === 0 || !/^[0-9]{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

function declaredPorts(raw: string): { ports: Map<number, 'HTTP' | 'HTTPS'> } | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { error: `failed to parse listen-ports configuration: \`${raw}\`` };
  }
  if (!Array.isArray(json) || !json.every((entry) => typeof entry === 'object' && entry !== null)) {
    return { error: `failed to parse listen-ports configuration: \`${raw}\`` };
  }
  if (json.length === 0) return { error: 'empty listen-ports configuration' };
  const ports = new Map<number, 'HTTP' | 'HTTPS'>();
  for (const entry of json as Record<string, unknown>[]) {
    for (const [protocol, port] of Object.entries(entry)) {
      if (typeof port !== 'number' || !Number.isInteger(port)) {
        return { error: `failed to parse listen-ports configuration: \`${raw}\`` };
      }
      if (port < 1 || port > 65535) return { error: `listen port must be within [1, 65535]: ${port}` };
      if (protocol !== 'HTTP' && protocol !== 'HTTPS') {
        return { error: `listen protocol must be within [HTTP, HTTPS]: ${protocol}` };
      }
      // a port listed twice: the last entry wins, as the LBC's map does
      ports.set(port, protocol);
    }
  }
  return { ports };
}

export function parseListenPorts(ingress: Ingress): Parsed {
  const annotations = ingress.metadata.annotations ?? {};
  const certificateArns = parseStringList(annotations, key('certificate-arn')) ?? [];
  for (const arn of certificateArns) {
    const problem = certificateArnProblem(arn);
    if (problem) return { error: problem, field: annotationField(key('certificate-arn')) };
  }
  const raw = parseString(annotations, key('listen-ports'));
  let ports = new Map<number, 'HTTP' | 'HTTPS'>([certificateArns.length > 0 ? [443, 'HTTPS'] : [80, 'HTTP']]);
  if (raw !== undefined) {
    const declared = declaredPorts(raw);
    if ('error' in declared) return { error: declared.error, field: annotationField(key('listen-ports')) };
    ports = declared.ports;
  }
  const cidrs = parseStringList(annotations, key('inbound-cidrs'));
  for (const cidr of cidrs ?? []) {
    if (!isCidr(cidr)) {
      const ingressName = `${ingress.metadata.namespace ?? ''}/${ingress.metadata.name}`;
      return {
        error: `invalid inbound-cidrs settings on Ingress: ${ingressName}: invalid CIDR address: ${cidr}`,
        field: annotationField(key('inbound-cidrs')),
      };
    }
  }
  const sslPolicy = parseString(annotations, key('ssl-policy'));
  const attributes = listenerAttributes(annotations, ports);
  if ('error' in attributes) return attributes;
  const value: ListenPort[] = [...ports].map(([port, protocol]) => ({
    port,
    protocol,
    ...(cidrs !== undefined && cidrs.length > 0 ? { inboundCidrs: cidrs } : {}),
    certificateArns: protocol === 'HTTPS' ? certificateArns : [],
    ...(protocol === 'HTTPS' && sslPolicy !== undefined ? { sslPolicy } : {}),
    ...(attributes.value.has(port) ? { attributes: attributes.value.get(port) } : {}),
  }));
  return { value };
}

const ATTRIBUTES_PREFIX = key('listener-attributes.');

/**
 * `listener-attributes.<PROTOCOL>-<port>` (the LBC's key), parsed as a string map per listen port.
 * One naming a listener this Ingress does not declare would be ignored by the LBC; here it is refused.
 */
function listenerAttributes(
  annotations: Readonly<Record<string, string>>,
  ports: ReadonlyMap<number, 'HTTP' | 'HTTPS'>,
): { value: Map<number, Record<string, string>> } | { error: string; field: string } {
  const byPort = new Map<number, Record<string, string>>();
  for (const annotation of Object.keys(annotations).sort()) {
    if (!annotation.startsWith(ATTRIBUTES_PREFIX)) continue;
    const listener = /^(HTTP|HTTPS)-([0-9]+)$/.exec(annotation.slice(ATTRIBUTES_PREFIX.length));
    const port = Number(listener?.[2]);
    if (!listener || ports.get(port) !== listener[1]) {
      return {
        error: `names no listener of this Ingress: the key must be listener-attributes.<PROTOCOL>-<port> for one of ${[...ports].map(([number, protocol]) => `${protocol}-${number}`).join(', ')}`,
        field: annotationField(annotation),
      };
    }
    const parsed = parseStringMap(annotations, annotation);
    if (!parsed.ok) return { error: parsed.error, field: annotationField(annotation) };
    byPort.set(port, parsed.value ?? {});
  }
  return { value: byPort };
}
