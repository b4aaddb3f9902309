/** IPv4 address and CIDR arithmetic for subnets, security group rules and target validation. */

const DOTTED = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The address as an unsigned 32-bit number, or undefined when it is not a dotted quad. */
export function ipToNumber(ip: string): number | undefined {
  const match = DOTTED.exec(ip);
  if (match === null) return undefined;
  let value = 0;
  for (let i = 1; i <= 4; i++) {
    const octet = Number(match[i]);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

export interface Cidr {
  base: number;
  prefix: number;
}

export function parseCidr(cidr: string): Cidr | undefined {
  const slash = cidr.indexOf('/');
  if (slash < 0) return undefined;
  const base = ipToNumber(cidr.slice(0, slash));
  const prefixText = cidr.slice(slash + 1);
  if (base === undefined || !/^\d{1,2}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  return prefix > 32 ? undefined : { base, prefix };
}

export function ipInCidr(ip: string, cidr: string): boolean {
  const address = ipToNumber(ip);
  const range = parseCidr(cidr);
  if (address === undefined || range === undefined) return false;
  const size = 2 ** (32 - range.prefix);
  const start = range.base - (range.base % size);
  return address >= start && address < start + size;
}

/** Addresses in the block minus the five AWS reserves in every subnet. */
export function usableAddresses(cidr: string): number {
  const range = parseCidr(cidr);
  return range === undefined ? 0 : Math.max(0, 2 ** (32 - range.prefix) - 5);
}
