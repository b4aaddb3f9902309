import { describe, expect, it } from 'vitest';
import { cidrContains, isPrivateIpv4, parseCidr, parseIpv4 } from '../../../infra/local/aws/elbv2/ip.js';

describe('parseIpv4', () => {
  it.each([
    ['10.0.0.1', 0x0a000001],
    ['255.255.255.255', 0xffffffff],
    ['0.0.0.0', 0],
    ['192.168.1.20', 0xc0a80114],
    ['1.2.3', undefined],
    ['1.2.3.4.5', undefined],
    ['1..3.4', undefined],
    ['1.2.3.', undefined],
    ['.1.2.3', undefined],
    ['256.1.1.1', undefined],
    ['1.2.3.1000', undefined],
    ['a.b.c.d', undefined],
    ['10.0.0.1 ', undefined],
    ['', undefined],
  ])('%s → %s', (text, expected) => {
    expect(parseIpv4(text)).toBe(expected);
  });
});

describe('CIDR ranges', () => {
  it.each([
    ['10.0.0.0/16', '10.0.255.255', true],
    ['10.0.0.0/16', '10.1.0.0', false],
    ['10.0.64.0/19', '10.0.95.1', true],
    ['10.0.64.0/19', '10.0.96.1', false],
    ['0.0.0.0/0', '8.8.8.8', true],
    ['192.168.1.7/32', '192.168.1.7', true],
    ['192.168.1.7/32', '192.168.1.8', false],
  ])('%s contains %s: %s', (cidr, ip, expected) => {
    expect(cidrContains(parseCidr(cidr)!, parseIpv4(ip)!)).toBe(expected);
  });

  it.each(['10.0.0.0/33', '10.0.0.0', '10.0.0.0/8/1', '10.0.0/8', '10.0.0.0/x'])('rejects %s', (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });

  it.each([
    ['10.200.1.1', true],
    ['172.31.255.255', true],
    ['172.32.0.1', false],
    ['192.168.0.1', true],
    ['100.64.0.1', true],
    ['100.128.0.1', false],
    ['8.8.8.8', false],
  ])('%s is private (RFC 1918 / RFC 6598): %s', (ip, expected) => {
    expect(isPrivateIpv4(parseIpv4(ip)!)).toBe(expected);
  });
});
