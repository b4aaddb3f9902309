import { describe, expect, it } from 'vitest';
import {
  compilePattern,
  EventPatternError,
  matchesPattern,
  parseEventPattern,
  usesWildcard,
  validatePattern,
} from '../../../infra/local/aws/eventbridge/pattern.js';

/** the EC2 state-change event the EventBridge user guide uses in its pattern examples */
const ec2Event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0', 'arn:aws:ec2:us-west-1:x'],
  detail: {
    'instance-id': 'i-1234567890abcdef0',
    state: 'terminated',
    'c-count': 5,
    'd-count': 12,
    'x-limit': 301.8,
    'source-ip': '10.0.0.123',
    'source-ip6': '2001:db8::8a2e:370:7334',
    'file-name': 'photo.PNG',
    path: '/usr/lib/libc.so',
    nothing: null,
    flag: true,
    tags: ['blue', 'green'],
    nested: { deeper: { value: 'x' } },
    items: [
      { name: 'a', size: 1 },
      { name: 'b', size: 2 },
    ],
  },
};

interface Case {
  name: string;
  pattern: object;
  matches: boolean;
}

const cases: Case[] = [
  // exact values, AND between keys, OR inside a list
  { name: 'exact string', pattern: { source: ['aws.ec2'] }, matches: true },
  { name: 'exact string, other value', pattern: { source: ['aws.s3'] }, matches: false },
  { name: 'list is OR', pattern: { source: ['aws.s3', 'aws.ec2'] }, matches: true },
  { name: 'keys are AND', pattern: { source: ['aws.ec2'], region: ['eu-west-1'] }, matches: false },
  { name: 'nested object', pattern: { detail: { state: ['terminated'] } }, matches: true },
  { name: 'deep nesting', pattern: { detail: { nested: { deeper: { value: ['x'] } } } }, matches: true },
  { name: 'missing field never matches a value', pattern: { detail: { absent: ['x'] } }, matches: false },
  { name: 'number', pattern: { detail: { 'c-count': [5] } }, matches: true },
  { name: 'number vs string form', pattern: { detail: { 'c-count': ['5'] } }, matches: false },
  { name: 'number equal in another notation', pattern: { detail: { 'x-limit': [3.018e2] } }, matches: true },
  { name: 'boolean', pattern: { detail: { flag: [true] } }, matches: true },
  { name: 'boolean mismatch', pattern: { detail: { flag: [false] } }, matches: false },
  { name: 'null matches null', pattern: { detail: { nothing: [null] } }, matches: true },
  { name: 'null does not match a missing field', pattern: { detail: { absent: [null] } }, matches: false },
  { name: 'empty string', pattern: { detail: { state: [''] } }, matches: false },
  // arrays in the event: any element
  {
    name: 'event array: any element (user guide resources example)',
    pattern: { resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'] },
    matches: true,
  },
  { name: 'event array: no element', pattern: { detail: { tags: ['red'] } }, matches: false },
  {
    name: 'array of objects: one element',
    pattern: { detail: { items: { name: ['b'], size: [2] } } },
    matches: true,
  },
  {
    name: 'array of objects: fields from two elements do not combine',
    pattern: { detail: { items: { name: ['a'], size: [2] } } },
    matches: false,
  },
  // prefix / suffix
  {
    name: 'prefix (user guide: time 2017-12-22)',
    pattern: { time: [{ prefix: '2017-12-22' }] },
    matches: true,
  },
  { name: 'prefix mismatch', pattern: { time: [{ prefix: '2017-10-02' }] }, matches: false },
  { name: 'prefix is case sensitive', pattern: { source: [{ prefix: 'AWS.' }] }, matches: false },
  {
    name: 'prefix equals-ignore-case',
    pattern: { source: [{ prefix: { 'equals-ignore-case': 'AWS.' } }] },
    matches: true,
  },
  {
    name: 'prefix never matches a number',
    pattern: { detail: { 'c-count': [{ prefix: '5' }] } },
    matches: false,
  },
  {
    name: 'suffix (user guide .png) is case sensitive',
    pattern: { detail: { 'file-name': [{ suffix: '.png' }] } },
    matches: false,
  },
  {
    name: 'suffix equals-ignore-case',
    pattern: { detail: { 'file-name': [{ suffix: { 'equals-ignore-case': '.png' } }] } },
    matches: true,
  },
  // equals-ignore-case
  {
    name: 'equals-ignore-case (user guide detail-type)',
    pattern: { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] },
    matches: true,
  },
  {
    name: 'equals-ignore-case mismatch',
    pattern: { source: [{ 'equals-ignore-case': 'AWS.S3' }] },
    matches: false,
  },
  // anything-but
  {
    name: 'anything-but string',
    pattern: { detail: { state: [{ 'anything-but': 'initializing' }] } },
    matches: true,
  },
  {
    name: 'anything-but the value itself',
    pattern: { detail: { state: [{ 'anything-but': 'terminated' }] } },
    matches: false,
  },
  {
    name: 'anything-but number',
    pattern: { detail: { 'c-count': [{ 'anything-but': 5 }] } },
    matches: false,
  },
  {
    name: 'anything-but other number',
    pattern: { detail: { 'c-count': [{ 'anything-but': 123 }] } },
    matches: true,
  },
  {
    name: 'anything-but list',
    pattern: { detail: { state: [{ 'anything-but': ['stopped', 'terminated'] }] } },
    matches: false,
  },
  {
    name: 'anything-but needs the field',
    pattern: { detail: { absent: [{ 'anything-but': 'x' }] } },
    matches: false,
  },
  {
    name: 'anything-but prefix (user guide init)',
    pattern: { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
    matches: true,
  },
  {
    name: 'anything-but prefix excludes',
    pattern: { detail: { state: [{ 'anything-but': { prefix: 'term' } }] } },
    matches: false,
  },
  {
    name: 'anything-but prefix list, one excluding',
    pattern: { detail: { state: [{ 'anything-but': { prefix: ['run', 'term'] } }] } },
    matches: false,
  },
  {
    name: 'anything-but prefix list, none excluding',
    pattern: { detail: { state: [{ 'anything-but': { prefix: ['run', 'stop'] } }] } },
    matches: true,
  },
  {
    name: 'anything-but suffix',
    pattern: { detail: { 'file-name': [{ 'anything-but': { suffix: '.PNG' } }] } },
    matches: false,
  },
  {
    name: 'anything-but wildcard (user guide */lib/*)',
    pattern: { detail: { path: [{ 'anything-but': { wildcard: '*/lib/*' } }] } },
    matches: false,
  },
  {
    name: 'anything-but wildcard list, none matching',
    pattern: { detail: { path: [{ 'anything-but': { wildcard: ['*/bin/*', '*.txt'] } }] } },
    matches: true,
  },
  {
    name: 'anything-but equals-ignore-case list',
    pattern: { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'TERMINATED'] } }] } },
    matches: false,
  },
  {
    name: 'anything-but on an event array: one element outside the list is enough',
    pattern: { detail: { tags: [{ 'anything-but': 'blue' }] } },
    matches: true,
  },
  // numeric
  {
    name: 'numeric range (user guide > 0, <= 5)',
    pattern: { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } },
    matches: true,
  },
  {
    name: 'numeric upper bound excluded',
    pattern: { detail: { 'c-count': [{ numeric: ['>', 0, '<', 5] }] } },
    matches: false,
  },
  {
    name: 'numeric < (user guide d-count < 10)',
    pattern: { detail: { 'd-count': [{ numeric: ['<', 10] }] } },
    matches: false,
  },
  { name: 'numeric >=', pattern: { detail: { 'd-count': [{ numeric: ['>=', 12] }] } }, matches: true },
  {
    name: 'numeric = (user guide 3.018e2)',
    pattern: { detail: { 'x-limit': [{ numeric: ['=', 3.018e2] }] } },
    matches: true,
  },
  {
    name: 'numeric ignores strings',
    pattern: { detail: { state: [{ numeric: ['>', 0] }] } },
    matches: false,
  },
  // exists
  { name: 'exists true', pattern: { detail: { 'c-count': [{ exists: true }] } }, matches: true },
  { name: 'exists true, absent', pattern: { detail: { absent: [{ exists: true }] } }, matches: false },
  { name: 'exists false, absent', pattern: { detail: { absent: [{ exists: false }] } }, matches: true },
  { name: 'exists false, present', pattern: { detail: { state: [{ exists: false }] } }, matches: false },
  {
    name: 'exists true on null (a leaf)',
    pattern: { detail: { nothing: [{ exists: true }] } },
    matches: true,
  },
  {
    name: 'exists is leaf-only: an object has no leaf',
    pattern: { detail: { nested: [{ exists: true }] } },
    matches: false,
  },
  {
    name: 'exists false under a missing parent',
    pattern: { absent: { x: [{ exists: false }] } },
    matches: true,
  },
  {
    name: 'exists false OR a value',
    pattern: { detail: { state: [{ exists: false }, 'terminated'] } },
    matches: true,
  },
  // wildcard
  {
    name: 'wildcard (user guide bus ARN)',
    pattern: { resources: [{ wildcard: 'arn:aws:ec2:us-west-1:*:instance/*' }] },
    matches: true,
  },
  { name: 'wildcard anchored at both ends', pattern: { source: [{ wildcard: 'ec2*' }] }, matches: false },
  { name: 'wildcard matches empty run', pattern: { source: [{ wildcard: 'aws.*ec2' }] }, matches: true },
  {
    name: 'wildcard escaped star is literal',
    pattern: { source: [{ wildcard: 'aws.\\*' }] },
    matches: false,
  },
  {
    name: 'wildcard regex characters are literal',
    pattern: { source: [{ wildcard: 'aws?ec2' }] },
    matches: false,
  },
  // cidr
  {
    name: 'cidr IPv4 (user guide 10.0.0.0/24)',
    pattern: { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } },
    matches: true,
  },
  {
    name: 'cidr IPv4 outside',
    pattern: { detail: { 'source-ip': [{ cidr: '10.0.1.0/24' }] } },
    matches: false,
  },
  { name: 'cidr IPv6', pattern: { detail: { 'source-ip6': [{ cidr: '2001:db8::/32' }] } }, matches: true },
  {
    name: 'cidr IPv6 outside',
    pattern: { detail: { 'source-ip6': [{ cidr: '2001:db9::/32' }] } },
    matches: false,
  },
  { name: 'cidr family mismatch', pattern: { detail: { 'source-ip': [{ cidr: '::/0' }] } }, matches: false },
  {
    name: 'cidr ignores non-IP strings',
    pattern: { detail: { state: [{ cidr: '0.0.0.0/0' }] } },
    matches: false,
  },
  // $or
  {
    name: '$or (user guide c-count / d-count / x-limit)',
    pattern: {
      detail: {
        $or: [
          { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] },
          { 'd-count': [{ numeric: ['<', 10] }] },
          { 'x-limit': [{ numeric: ['=', 3.018e2] }] },
        ],
      },
    },
    matches: true,
  },
  {
    name: 'a field named like an operator outside $or is a plain field',
    pattern: { detail: { prefix: [{ exists: false }] } },
    matches: true,
  },
  {
    name: 'inherited properties are not fields (constructor)',
    pattern: { constructor: [{ exists: true }] },
    matches: false,
  },
  {
    name: 'inherited properties are not fields (toString, hasOwnProperty)',
    pattern: { detail: { toString: [{ exists: false }], hasOwnProperty: [{ exists: false }] } },
    matches: true,
  },
  {
    name: '$or with no branch matching',
    pattern: { $or: [{ source: ['aws.s3'] }, { detail: { state: ['running'] } }] },
    matches: false,
  },
  {
    name: '$or ANDed with a sibling key',
    pattern: { source: ['aws.s3'], $or: [{ region: ['us-west-1'] }, { account: ['1'] }] },
    matches: false,
  },
];

describe('event pattern matching', () => {
  it.each(cases)('$name', ({ pattern, matches }) => {
    expect(matchesPattern(pattern, ec2Event)).toBe(matches);
    expect(compilePattern(pattern)(ec2Event)).toBe(matches);
  });

  it.each([
    ['IPv4-embedded IPv6', '::ffff:10.0.0.0/120', '::ffff:10.0.0.7', true],
    ['IPv6 /128 host', '2001:db8::1/128', '2001:db8:0:0:0:0:0:1', true],
    ['IPv4 host bits in the pattern are masked', '192.168.1.77/16', '192.168.200.1', true],
    ['IPv4 /32 other host', '192.168.1.1/32', '192.168.1.2', false],
    ['IPv4 /0 takes every address', '0.0.0.0/0', '255.255.255.255', true],
    ['IPv4 high addresses', '200.0.0.0/8', '200.255.1.2', true],
    ['IPv4 with a leading zero is not an address', '10.0.0.0/8', '10.0.0.01', false],
    ['three octets are not an address', '10.0.0.0/8', '10.0.0', false],
    ['five octets are not an address', '10.0.0.0/8', '10.0.0.1.2', false],
    ['an octet over 255 is not an address', '10.0.0.0/8', '10.0.0.256', false],
    ['a trailing dot is not an address', '10.0.0.0/8', '10.0.0.', false],
  ])('cidr: %s', (_name, cidr, ip, matches) => {
    expect(matchesPattern({ ip: [{ cidr }] }, { ip })).toBe(matches);
  });

  it.each([
    ['a\\\\b matches a literal backslash', 'a\\\\b', 'a\\b', true],
    ['\\* matches a literal star', 'a\\*', 'a*', true],
    ['\\* does not match other text', 'a\\*', 'ab', false],
    ['several stars', '*/k8s/*/pods/*', 'ns/k8s/x/pods/y', true],
  ])('wildcard: %s', (_name, wildcard, value, matches) => {
    expect(matchesPattern({ v: [{ wildcard }] }, { v: value })).toBe(matches);
  });
});

describe('event pattern validation', () => {
  it.each([
    ['a non-object pattern', ['source'], '(root)', 'must be a JSON object'],
    ['an empty pattern', {}, '(root)', 'empty objects are not allowed'],
    ['a scalar instead of a list', { source: 'aws.ec2' }, 'source', 'must be a list of match values'],
    ['an empty list', { detail: { state: [] } }, 'detail.state', 'empty arrays are not allowed'],
    ['a nested array', { source: [['a']] }, 'source[0]', 'cannot contain another array'],
    ['an unknown operator', { source: [{ prefx: 'a' }] }, 'source[0].prefx', 'unknown operator "prefx"'],
    [
      'two operators in one object',
      { source: [{ prefix: 'a', suffix: 'b' }] },
      'source[0]',
      'exactly one operator',
    ],
    ['an empty operator object', { source: [{}] }, 'source[0]', 'found: none'],
    ['prefix with a number', { source: [{ prefix: 5 }] }, 'source[0].prefix', 'expected a string'],
    ['exists with a string', { source: [{ exists: 'yes' }] }, 'source[0].exists', 'true or false'],
    ['numeric not a list', { n: [{ numeric: '>5' }] }, 'n[0].numeric', 'numeric takes'],
    ['numeric odd length', { n: [{ numeric: ['>', 0, '<'] }] }, 'n[0].numeric', 'numeric takes'],
    [
      'numeric unknown operator',
      { n: [{ numeric: ['!=', 0] }] },
      'n[0].numeric[0]',
      'unknown numeric operator',
    ],
    [
      'numeric operator named like an inherited property',
      { n: [{ numeric: ['constructor', 0] }] },
      'n[0].numeric[0]',
      'unknown numeric operator',
    ],
    ['numeric string bound', { n: [{ numeric: ['>', '0'] }] }, 'n[0].numeric[1]', 'must be a number'],
    [
      'numeric bound out of range',
      { n: [{ numeric: ['<', 6e9] }] },
      'n[0].numeric[1]',
      'outside the supported range',
    ],
    ['numeric bounds reversed', { n: [{ numeric: ['>', 5, '<', 1] }] }, 'n[0].numeric', 'must be less than'],
    ['numeric upper bound first', { n: [{ numeric: ['<', 5, '>', 1] }] }, 'n[0].numeric', 'lower bound'],
    ['numeric = in a range', { n: [{ numeric: ['=', 5, '<', 9] }] }, 'n[0].numeric', 'lower bound'],
    ['anything-but empty list', { s: [{ 'anything-but': [] }] }, 's[0].anything-but', 'at least one value'],
    [
      'anything-but with a boolean',
      { s: [{ 'anything-but': true }] },
      's[0].anything-but',
      'anything-but takes',
    ],
    [
      'anything-but list with null',
      { s: [{ 'anything-but': ['a', null] }] },
      's[0].anything-but[1]',
      'only strings',
    ],
    [
      'anything-but unknown inner',
      { s: [{ 'anything-but': { numeric: ['>', 1] } }] },
      's[0].anything-but',
      'anything-but takes',
    ],
    [
      'anything-but mixed strings and numbers',
      { s: [{ 'anything-but': ['a', 1] }] },
      's[0].anything-but',
      'not both',
    ],
    [
      'anything-but empty suffix in a list',
      { s: [{ 'anything-but': { suffix: ['.txt', ''] } }] },
      's[0].anything-but.suffix',
      'exclude every value',
    ],
    [
      'anything-but empty prefix',
      { s: [{ 'anything-but': { prefix: '' } }] },
      's[0].anything-but.prefix',
      'exclude every value',
    ],
    ['wildcard consecutive stars', { s: [{ wildcard: 'a**b' }] }, 's[0].wildcard', 'consecutive wildcard'],
    ['wildcard bad escape', { s: [{ wildcard: 'a\\b' }] }, 's[0].wildcard', 'invalid escape'],
    ['cidr without a prefix length', { ip: [{ cidr: '10.0.0.1' }] }, 'ip[0].cidr', 'one "/" required'],
    ['cidr bad address', { ip: [{ cidr: '10.0.0.256/8' }] }, 'ip[0].cidr', 'bad address'],
    ['cidr prefix too long', { ip: [{ cidr: '10.0.0.0/33' }] }, 'ip[0].cidr', 'prefix length must be 0-32'],
    ['$or with one branch', { $or: [{ a: ['x'] }] }, '$or', 'at least two'],
    [
      'an operator name as a field inside $or',
      { $or: [{ a: ['x'] }, { prefix: ['y'] }] },
      '$or[1].prefix',
      'reserved word',
    ],
    [
      'a reserved name nested inside $or',
      { $or: [{ a: ['x'] }, { b: { numeric: ['y'] } }] },
      '$or[1].b.numeric',
      'reserved word',
    ],
    ['$or with a non-object branch', { $or: [{ a: ['x'] }, ['y']] }, '$or[1]', 'must be a JSON object'],
  ])('rejects %s', (_name, pattern, path, reason) => {
    let caught: unknown;
    try {
      validatePattern(pattern);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EventPatternError);
    expect((caught as Error).message).toContain(`at ${path}:`);
    expect((caught as Error).message).toContain(reason);
  });

  it('rejects a $or that expands past 1000 combinations', () => {
    const branches = (prefix: string) => Array.from({ length: 11 }, (_, i) => ({ [`${prefix}${i}`]: ['x'] }));
    const pattern = { a: { $or: branches('a') }, b: { $or: branches('b') }, c: { $or: branches('c') } };
    expect(() => validatePattern(pattern)).toThrow(/1331 combinations; at most 1000/);
    expect(() => validatePattern({ a: pattern.a, b: pattern.b })).not.toThrow();
  });

  it.each([
    ['a wildcard operator', { a: [{ wildcard: '*x' }] }, true],
    ['anything-but wildcard', { a: { b: [{ 'anything-but': { wildcard: '*x' } }] } }, true],
    ['a wildcard in a $or branch', { $or: [{ a: ['x'] }, { b: [{ wildcard: 'y*' }] }] }, true],
    ['a field named wildcard', { wildcard: ['x'], a: { wildcard: [{ prefix: 'w' }] } }, false],
    ['a literal star', { a: ['*'] }, false],
  ])('usesWildcard: %s -> %s', (_name, pattern, expected) => {
    expect(usesWildcard(pattern)).toBe(expected);
  });

  it('rejects pattern text that is not JSON', () => {
    expect(() => parseEventPattern('{"source": [')).toThrow(/not valid JSON/);
    expect(parseEventPattern('{"source": ["aws.ec2"]}')(ec2Event)).toBe(true);
  });

  it('names the field in the error subject', () => {
    try {
      validatePattern({ detail: { state: [] } });
      expect.unreachable();
    } catch (error) {
      expect((error as EventPatternError).subject).toEqual({
        kind: 'EventPattern',
        name: 'event pattern',
        field: 'detail.state',
      });
    }
  });
});
