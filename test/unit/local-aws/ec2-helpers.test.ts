import { describe, expect, it } from 'vitest';
import { ipInCidr, parseCidr, usableAddresses } from '../../../infra/local/aws/ec2/cidr.js';
import { matchesFilters, parseFilters, wildcardToRegExp } from '../../../infra/local/aws/ec2/filters.js';

describe('CIDR helpers', () => {
  it.each([
    { ip: '10.0.1.5', cidr: '10.0.0.0/16', inside: true },
    { ip: '10.1.0.0', cidr: '10.0.0.0/16', inside: false },
    { ip: '10.0.0.255', cidr: '10.0.0.0/24', inside: true },
    { ip: '10.0.1.0', cidr: '10.0.0.0/24', inside: false },
    { ip: '1.2.3.4', cidr: '0.0.0.0/0', inside: true },
    { ip: '10.0.0.256', cidr: '10.0.0.0/16', inside: false },
    { ip: 'ten', cidr: '10.0.0.0/16', inside: false },
    { ip: '10.0.0.1', cidr: '10.0.0.0/40', inside: false },
  ])('$ip in $cidr is $inside', ({ ip, cidr, inside }) => {
    expect(ipInCidr(ip, cidr)).toBe(inside);
  });

  it.each([
    { cidr: '10.0.0.0/24', usable: 251 },
    { cidr: '10.0.16.0/20', usable: 4091 },
    { cidr: 'nonsense', usable: 0 },
  ])('$cidr has $usable usable addresses', ({ cidr, usable }) => {
    expect(usableAddresses(cidr)).toBe(usable);
  });

  it('rejects a prefix without a slash', () => {
    expect(parseCidr('10.0.0.0')).toBeUndefined();
  });
});

describe('EC2 filters', () => {
  const fields = { 'vpc-id': (r: { vpc: string }) => [r.vpc] };
  const tags = new Map([
    ['Name', 'public-a'],
    ['team', 'edge'],
  ]);

  it.each([
    { name: 'tag:Key exact', filters: [{ Name: 'tag:team', Value: ['edge'] }], matches: true },
    { name: 'tag:Key with another value', filters: [{ Name: 'tag:team', Value: ['core'] }], matches: false },
    { name: 'tag:Key absent', filters: [{ Name: 'tag:missing', Value: ['*'] }], matches: false },
    { name: 'tag-key', filters: [{ Name: 'tag-key', Value: ['Name'] }], matches: true },
    { name: 'tag-value', filters: [{ Name: 'tag-value', Value: ['edge'] }], matches: true },
    { name: 'wildcard *', filters: [{ Name: 'tag:Name', Value: ['public-*'] }], matches: true },
    { name: 'wildcard ?', filters: [{ Name: 'tag:Name', Value: ['public-?'] }], matches: true },
    { name: 'OR within a filter', filters: [{ Name: 'vpc-id', Value: ['vpc-x', 'vpc-1'] }], matches: true },
    {
      name: 'AND across filters',
      filters: [
        { Name: 'vpc-id', Value: ['vpc-1'] },
        { Name: 'tag:team', Value: ['core'] },
      ],
      matches: false,
    },
  ])('$name', ({ filters, matches }) => {
    const parsed = parseFilters({ Filter: filters }, fields);
    expect(matchesFilters({ vpc: 'vpc-1' }, tags, parsed, fields)).toBe(matches);
  });

  it.each([
    {
      name: 'an unknown filter name',
      input: { Filter: [{ Name: 'colour', Value: ['red'] }] },
      message: /The filter 'colour' is invalid/,
    },
    { name: 'a filter without values', input: { Filter: [{ Name: 'vpc-id' }] }, message: /Filter\.1\.Value/ },
    { name: 'a filter without a name', input: { Filter: [{ Value: ['x'] }] }, message: /parameter Name/ },
  ])('rejects $name', ({ input, message }) => {
    expect(() => parseFilters(input, fields)).toThrow(message);
  });

  it('escapes regular expression characters in values', () => {
    expect(wildcardToRegExp('10.0.0.0/16').test('10a0b0c0/16')).toBe(false);
  });
});
