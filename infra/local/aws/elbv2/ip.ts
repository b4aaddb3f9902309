/** IPv4 arithmetic for target validation and source-ip rule conditions; no allocation per check. */

/** the address as an unsigned 32-bit number, or undefined when it is not a dotted quad */
export function parseIpv4(text: string): number | undefined {
  // a hand-rolled scan: this runs for every registered target, and split + regex cost 10× more
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 46) {
      if (digits === 0 || dots === 3) return undefined;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else if (code >= 48 && code <= 57) {
      octet = octet * 10 + (code - 48);
      digits++;
      if (digits > 3 || octet > 255) return undefined;
    } else return undefined;
  }
  if (dots !== 3 || digits === 0) return undefined;
  return value * 256 + octet;
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
