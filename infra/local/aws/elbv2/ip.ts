/** IPv4 arithmetic for target validation and source-ip rule conditions; no allocation per check. */

/** the address as an unsigned 32-bit number, or undefined when it is not a dotted quad */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

export interface Cidr {
  base: number;
  mask: number;
}

export function parseCidr(text: string): Cidr | undefined {
  const [address, bits, extra] = text.split('/');
  if (address === undefined || bits === undefined || extra !== undefined || !/^\d{1,2}$/.test(bits))
    return undefined;
  const base = parseIpv4(address);
  const length = Number(bits);
  if (base === undefined || length > 32) return undefined;
  const mask = length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
  return { base: (base & mask) >>> 0, mask };
}

export function cidrContains(cidr: Cidr, ip: number): boolean {
  return (ip & cidr.mask) >>> 0 === cidr.base;
}

/** RFC 1918 and RFC 6598 space: where AWS accepts `ip` targets outside the VPC's subnets */
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'].map(
  (text) => parseCidr(text)!,
);

export function isPrivateIpv4(ip: number): boolean {
  return PRIVATE_RANGES.some((range) => cidrContains(range, ip));
}
