/**
 * IPv4 and IPv6 address and CIDR parsing for the `cidr` pattern operator. Addresses become
 * bigints, so one containment test serves both families.
 */
import { isIPv4, isIPv6 } from 'node:net';

export interface CidrRange {
  family: 4 | 6;
  /** the network address with host bits cleared */
  network: bigint;
  mask: bigint;
  /** IPv4 only: the same as unsigned 32-bit numbers */
  network32: number;
  mask32: number;
}

/** parses `10.0.0.0/24` or `2001:db8::/32`; returns a reason string when it is not a CIDR */
export function parseCidr(text: string): CidrRange | string {
  const slash = text.indexOf('/');
  if (slash < 0 || slash !== text.lastIndexOf('/')) return `"${text}" is not a CIDR block (one "/" required)`;
  const address = parseIp(text.slice(0, slash));
  if (!address) return `"${text}" is not a CIDR block (bad address)`;
  const bitsText = text.slice(slash + 1);
  const width = address.family === 4 ? 32 : 128;
  const bits = Number(bitsText);
  if (!/^\d{1,3}$/.test(bitsText) || bits > width)
    return `"${text}" is not a CIDR block (prefix length must be 0-${width})`;
  const all = (1n << BigInt(width)) - 1n;
  const mask = all ^ ((1n << BigInt(width - bits)) - 1n);
  const network = address.value & mask;
  return {
    family: address.family,
    network,
    mask,
    network32: Number(network & 0xffffffffn),
    mask32: Number(mask & 0xffffffffn),
  };
}

export function cidrContains(range: CidrRange, ip: string): boolean {
  if (range.family === 4) {
    // the hot path (pod IPs): plain 32-bit arithmetic, no bigint
    const v4 = ipv4ToNumber(ip);
    return v4 !== undefined && (v4 & range.mask32) >>> 0 === range.network32;
  }
  const address = parseIp(ip);
  return (
    address !== undefined && address.family === range.family && (address.value & range.mask) === range.network
  );
}

export function parseIp(text: string): { family: 4 | 6; value: bigint } | undefined {
  if (isIPv4(text)) return { family: 4, value: ipv4ToBigint(text) };
  if (isIPv6(text)) return { family: 6, value: ipv6ToBigint(text) };
  return undefined;
}

/** dotted quad to an unsigned 32-bit number; undefined unless exactly four decimal octets */
function ipv4ToNumber(text: string): number | undefined {
  let value = 0;
  let octet = -1;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 46) {
      if (octet < 0 || dots === 3) return undefined;
      value = value * 256 + octet;
      octet = -1;
      digits = 0;
      dots++;
    } else if (code >= 48 && code <= 57) {
      if (digits > 0 && octet === 0) return undefined; // no leading zeros, as isIPv4
      octet = Math.max(octet, 0) * 10 + (code - 48);
      if (++digits > 3 || octet > 255) return undefined;
    } else return undefined;
  }
  if (dots !== 3 || octet < 0) return undefined;
  return value * 256 + octet;
}

function ipv4ToBigint(text: string): bigint {
  return text.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

function ipv6ToBigint(text: string): bigint {
  let body = text.split('%')[0] ?? text;
  // an embedded IPv4 tail (::ffff:10.0.0.1) is two 16-bit groups
  const lastColon = body.lastIndexOf(':');
  const tail = body.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = ipv4ToBigint(tail);
    body = `${body.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = '', rest] = body.split('::');
  const headGroups = head ? head.split(':') : [];
  const restGroups = rest ? rest.split(':') : [];
  const zeros =
    rest === undefined ? [] : new Array<string>(8 - headGroups.length - restGroups.length).fill('0');
  return [...headGroups, ...zeros, ...restGroups].reduce(
    (acc, group) => (acc << 16n) | BigInt(`0x${group}`),
    0n,
  );
}
