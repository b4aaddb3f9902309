import { describe, expect, it } from 'vitest';
import { buildPathPatterns, sortIngressPaths } from '../../../shared/model/ingress/paths.js';

// Path conversion and path order, per pathType, as the LBC's rule builder tests assert.

describe('path patterns by pathType', () => {
  it.each([
    { name: 'a1 /* unset', path: '/*', pathType: undefined, expected: { values: ['/*'], regexValues: [] } },
    {
      name: 'a2 /* ImplementationSpecific',
      path: '/*',
      pathType: 'ImplementationSpecific',
      expected: { values: ['/*'], regexValues: [] },
    },
    {
      name: 'a3 /* Exact',
      path: '/*',
      pathType: 'Exact',
      expected: { error: "exact path shouldn't contain wildcards: /*" },
    },
    {
      name: 'a4 /* Prefix',
      path: '/*',
      pathType: 'Prefix',
      expected: { error: "prefix path shouldn't contain wildcards: /*" },
    },
    {
      name: 'a5 /abc/ unset',
      path: '/abc/',
      pathType: undefined,
      expected: { values: ['/abc/'], regexValues: [] },
    },
    {
      name: 'a6 /abc/ ImplementationSpecific',
      path: '/abc/',
      pathType: 'ImplementationSpecific',
      expected: { values: ['/abc/'], regexValues: [] },
    },
    {
      name: 'a7 /abc/ Exact',
      path: '/abc/',
      pathType: 'Exact',
      expected: { values: ['/abc/'], regexValues: [] },
    },
    {
      name: 'a8 /abc/ Prefix',
      path: '/abc/',
      pathType: 'Prefix',
      expected: { values: ['/abc', '/abc/*'], regexValues: [] },
    },
    {
      name: 'a9 unknown pathType',
      path: '/abc/',
      pathType: 'unknown',
      expected: { error: 'unsupported pathType: unknown' },
    },
    { name: 'p1 Prefix /', path: '/', pathType: 'Prefix', expected: { values: ['/*'], regexValues: [] } },
    {
      name: 'p2 Prefix /abc',
      path: '/abc',
      pathType: 'Prefix',
      expected: { values: ['/abc', '/abc/*'], regexValues: [] },
    },
    {
      name: 'p3 Prefix /abc/def',
      path: '/abc/def',
      pathType: 'Prefix',
      expected: { values: ['/abc/def', '/abc/def/*'], regexValues: [] },
    },
    {
      name: 'p4 Prefix /abc/def/',
      path: '/abc/def/',
      pathType: 'Prefix',
      expected: { values: ['/abc/def', '/abc/def/*'], regexValues: [] },
    },
    {
      name: 'p5 Prefix /?',
      path: '/?',
      pathType: 'Prefix',
      expected: { error: "prefix path shouldn't contain wildcards: /?" },
    },
    { name: 'e1 Exact /', path: '/', pathType: 'Exact', expected: { values: ['/'], regexValues: [] } },
    {
      name: 'e2 Exact /abc/def/',
      path: '/abc/def/',
      pathType: 'Exact',
      expected: { values: ['/abc/def/'], regexValues: [] },
    },
    {
      name: 'e3 Exact /?',
      path: '/?',
      pathType: 'Exact',
      expected: { error: "exact path shouldn't contain wildcards: /?" },
    },
    {
      name: 'i1 ImplementationSpecific /',
      path: '/',
      pathType: 'ImplementationSpecific',
      expected: { values: ['/'], regexValues: [] },
    },
    {
      name: 'i2 ImplementationSpecific /?',
      path: '/?',
      pathType: 'ImplementationSpecific',
      expected: { values: ['/?'], regexValues: [] },
    },
  ])('$name', ({ path, pathType, expected }) =>
    expect(buildPathPatterns(path, pathType, false)).toEqual(expected),
  );

  it('r1 regex match strips the leading slash', () => {
    expect(buildPathPatterns('/^/api/.+$', 'ImplementationSpecific', true)).toEqual({
      values: [],
      regexValues: ['^/api/.+$'],
    });
  });
});

const p = (path: string, pathType: string) => ({ path, pathType });

describe('path order inside one host block', () => {
  it.each([
    {
      name: 'prefix only: longest first, ties keep manifest order',
      input: [p('/abc', 'Prefix'), p('/example', 'Prefix'), p('/tea', 'Prefix')],
      expected: [p('/example', 'Prefix'), p('/abc', 'Prefix'), p('/tea', 'Prefix')],
    },
    {
      name: 'implementation specific keeps manifest order',
      input: [
        p('', 'ImplementationSpecific'),
        p('/a', 'ImplementationSpecific'),
        p('/test', 'ImplementationSpecific'),
      ],
      expected: [
        p('', 'ImplementationSpecific'),
        p('/a', 'ImplementationSpecific'),
        p('/test', 'ImplementationSpecific'),
      ],
    },
    {
      name: 'exact before prefix',
      input: [p('/abc', 'Prefix'), p('/aaa', 'Exact'), p('/aaa/bbb', 'Prefix'), p('/abc/abc/abc', 'Prefix')],
      expected: [
        p('/aaa', 'Exact'),
        p('/abc/abc/abc', 'Prefix'),
        p('/aaa/bbb', 'Prefix'),
        p('/abc', 'Prefix'),
      ],
    },
    {
      name: 'prefix before implementation specific',
      input: [
        p('/b', 'ImplementationSpecific'),
        p('/ccc', 'ImplementationSpecific'),
        p('/aaa', 'Prefix'),
        p('/example', 'Prefix'),
      ],
      expected: [
        p('/example', 'Prefix'),
        p('/aaa', 'Prefix'),
        p('/b', 'ImplementationSpecific'),
        p('/ccc', 'ImplementationSpecific'),
      ],
    },
    {
      name: 'all three',
      input: [
        p('/b', 'ImplementationSpecific'),
        p('/ccc', 'ImplementationSpecific'),
        p('/aaa', 'Prefix'),
        p('/example', 'Prefix'),
        p('/test', 'Exact'),
      ],
      expected: [
        p('/test', 'Exact'),
        p('/example', 'Prefix'),
        p('/aaa', 'Prefix'),
        p('/b', 'ImplementationSpecific'),
        p('/ccc', 'ImplementationSpecific'),
      ],
    },
  ])('$name', ({ input, expected }) => expect(sortIngressPaths(input)).toEqual({ paths: expected }));

  it('an unknown pathType is an error', () => {
    expect(sortIngressPaths([p('/x', 'Regex')])).toEqual({ error: 'unknown pathType for path /x' });
  });
});
