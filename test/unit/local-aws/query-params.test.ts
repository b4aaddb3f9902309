import { describe, expect, it } from 'vitest';
import { AwsApiError } from '../../../infra/local/aws/api-error.js';
import {
  decodeQueryParams,
  decodeQueryRequest,
  parseForm,
} from '../../../infra/local/aws/protocol/query-params.js';

describe('decodeQueryParams', () => {
  it.each<{ name: string; params: Array<[string, string]>; expected: Record<string, unknown> }>([
    {
      name: 'scalars stay strings',
      params: [
        ['Port', '80'],
        ['Name', 'tg'],
      ],
      expected: { Port: '80', Name: 'tg' },
    },
    {
      name: 'awsQuery member lists of structures',
      params: [
        ['Targets.member.1.Id', '10.0.0.1'],
        ['Targets.member.1.Port', '80'],
        ['Targets.member.2.Id', '10.0.0.2'],
      ],
      expected: { Targets: [{ Id: '10.0.0.1', Port: '80' }, { Id: '10.0.0.2' }] },
    },
    {
      name: 'awsQuery member lists of strings',
      params: [
        ['Names.member.1', 'a'],
        ['Names.member.2', 'b'],
      ],
      expected: { Names: ['a', 'b'] },
    },
    {
      name: 'awsQuery maps as entry lists',
      params: [
        ['Attributes.entry.1.key', 'k'],
        ['Attributes.entry.1.value', 'v'],
      ],
      expected: { Attributes: [{ key: 'k', value: 'v' }] },
    },
    {
      name: 'EC2 flattened lists with nested value lists',
      params: [
        ['Filter.1.Name', 'tag:k'],
        ['Filter.1.Value.1', 'a'],
        ['Filter.1.Value.2', 'b'],
        ['Filter.2.Name', 'vpc-id'],
        ['Filter.2.Value.1', 'v'],
      ],
      expected: {
        Filter: [
          { Name: 'tag:k', Value: ['a', 'b'] },
          { Name: 'vpc-id', Value: ['v'] },
        ],
      },
    },
    {
      name: 'indices order the list even when they arrive out of order or with gaps',
      params: [
        ['SubnetId.3', 'c'],
        ['SubnetId.1', 'a'],
        ['SubnetId.10', 'd'],
      ],
      expected: { SubnetId: ['a', 'c', 'd'] },
    },
    {
      name: 'deep nesting: rule conditions',
      params: [
        ['Conditions.member.1.Field', 'path-pattern'],
        ['Conditions.member.1.PathPatternConfig.Values.member.1', '/api/*'],
      ],
      expected: { Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/api/*'] } }] },
    },
    {
      name: 'an empty list travels as an empty string',
      params: [['Targets', '']],
      expected: { Targets: '' },
    },
    {
      name: 'a leaf literally named member stays a field',
      params: [['X.member', 'v']],
      expected: { X: { member: 'v' } },
    },
  ])('$name', ({ params, expected }) => {
    expect(decodeQueryParams(params)).toEqual(expected);
  });

  it.each<{ name: string; params: Array<[string, string]>; message: RegExp }>([
    {
      name: 'index 0',
      params: [['Targets.member.0.Id', 'x']],
      message: /Targets\.member\.0\.Id.*"0" is not a list index/,
    },
    {
      name: 'a non-numeric index after member',
      params: [['Targets.member.one.Id', 'x']],
      message: /"one" is not a list index/,
    },
    {
      name: 'the same key twice',
      params: [
        ['Name', 'a'],
        ['Name', 'b'],
      ],
      message: /Name is given twice/,
    },
    {
      name: 'a scalar then a nested value',
      params: [
        ['A', '1'],
        ['A.member.1', 'x'],
      ],
      message: /A\.member\.1 conflicts with a scalar/,
    },
    {
      name: 'a list then a structure',
      params: [
        ['A.1', 'x'],
        ['A.B', 'y'],
      ],
      message: /A\.B.*(mixes a list with a structure|"B" is not a list index)/,
    },
    {
      name: 'prototype pollution',
      params: [['__proto__.polluted', 'x']],
      message: /"__proto__" is not allowed/,
    },
    { name: 'an empty segment', params: [['A..B', 'x']], message: /segment "" is not allowed/ },
  ])('rejects $name with a ValidationError naming the parameter', ({ params, message }) => {
    let error: unknown;
    try {
      decodeQueryParams(params);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AwsApiError);
    expect((error as AwsApiError).code).toBe('ValidationError');
    expect((error as AwsApiError).message).toMatch(message);
  });
});

describe('decodeQueryRequest', () => {
  it('splits off Action and Version and skips the named parameters', () => {
    const params = new URLSearchParams(
      'Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Date=20260101T000000Z&A=1&&',
    );
    expect(decodeQueryRequest(params, new Set(['X-Amz-Date']))).toEqual({
      action: 'GetCallerIdentity',
      version: '2011-06-15',
      input: { A: '1' },
    });
  });
});

describe('parseForm', () => {
  it.each<{ name: string; body: string; pairs: Array<[string, string]> }>([
    {
      name: 'plain pairs',
      body: 'A=1&B=two',
      pairs: [
        ['A', '1'],
        ['B', 'two'],
      ],
    },
    {
      name: 'percent-encoding and plus as space',
      body: 'Name=a%2Fb+c&D=%E2%9C%93',
      pairs: [
        ['Name', 'a/b c'],
        ['D', '✓'],
      ],
    },
    {
      name: 'a key without a value',
      body: 'Targets=&X',
      pairs: [
        ['Targets', ''],
        ['X', ''],
      ],
    },
    { name: 'empty pieces skipped', body: '&&A=1&', pairs: [['A', '1']] },
    { name: 'an equals sign inside a value', body: 'Q=a=b', pairs: [['Q', 'a=b']] },
    { name: 'an empty body', body: '', pairs: [] },
  ])('$name', ({ body, pairs }) => {
    expect(parseForm(body)).toEqual(pairs);
  });

  it('rejects broken percent-encoding as MalformedQueryString', () => {
    expect(() => parseForm('A=%E2%9C')).toThrow(expect.objectContaining({ code: 'MalformedQueryString' }));
  });
});
