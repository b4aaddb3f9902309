import { describe, expect, it } from 'vitest';
import {
  parseBool,
  parseInt32,
  parseInt64,
  parseJson,
  parseString,
  parseStringList,
  parseStringMap,
} from '../../../shared/model/annotations/parse.js';

// The LBC's annotation value grammar (its parser tests), as our own table.

describe('string', () => {
  it.each<{ name: string; annotations: Record<string, string>; key: string; expected: string | undefined }>([
    {
      name: 'single value',
      annotations: { 't.co/aws-load-balancer-type': 'nlb-ip' },
      key: 't.co/aws-load-balancer-type',
      expected: 'nlb-ip',
    },
    {
      name: 'ignores other prefixes',
      annotations: { 'b.k.io/test-1': 'value-1', 'b.k.io/t2': 'value-2', 'k.io/t2': 'ignore-this' },
      key: 'b.k.io/t2',
      expected: 'value-2',
    },
    { name: 'absent', annotations: {}, key: 'pfx.io/random_suffix', expected: undefined },
    { name: 'present but empty still exists', annotations: { 'a/b': '' }, key: 'a/b', expected: '' },
  ])('$name', ({ annotations, key, expected }) => expect(parseString(annotations, key)).toBe(expected));
});

describe('integers', () => {
  it.each([
    { name: 'int64 ok', parse: parseInt64, raw: '101', expected: { ok: true, value: 101 } },
    {
      name: 'int64 invalid',
      parse: parseInt64,
      raw: '22d',
      expected: {
        ok: false,
        error: 'failed to parse int64 annotation, k/v: 22d: strconv.ParseInt: parsing "22d": invalid syntax',
      },
    },
    {
      name: 'int32 no whitespace trimming',
      parse: parseInt32,
      raw: ' 5',
      expected: {
        ok: false,
        error: 'failed to parse int32 annotation, k/v:  5: strconv.ParseInt: parsing " 5": invalid syntax',
      },
    },
    { name: 'int32 negative', parse: parseInt32, raw: '-1', expected: { ok: true, value: -1 } },
    {
      name: 'int32 out of range',
      parse: parseInt32,
      raw: '2147483648',
      expected: {
        ok: false,
        error:
          'failed to parse int32 annotation, k/v: 2147483648: strconv.ParseInt: parsing "2147483648": value out of range',
      },
    },
  ])('$name', ({ parse, raw, expected }) => expect(parse({ 'k/v': raw }, 'k/v')).toEqual(expected));
  it('absent is no value and no error', () =>
    expect(parseInt64({}, 'k/v')).toEqual({ ok: true, value: undefined }));
});

describe('bool (Go strconv.ParseBool)', () => {
  it.each([
    { raw: 'true', value: true },
    { raw: 'T', value: true },
    { raw: '1', value: true },
    { raw: 'False', value: false },
    { raw: '0', value: false },
  ])('$raw', ({ raw, value }) => expect(parseBool({ 'k/b': raw }, 'k/b')).toEqual({ ok: true, value }));
  it.each(['FaLsE', 'yes', ''])('rejects %j', (raw) => {
    expect(parseBool({ 'k/b': raw }, 'k/b')).toEqual({
      ok: false,
      error: `failed to parse bool annotation, k/b: ${raw}: strconv.ParseBool: parsing ${JSON.stringify(raw)}: invalid syntax`,
    });
  });
});

describe('stringList', () => {
  it.each([
    { name: 'only empty items', raw: '\t,  ,,,,,', expected: [] },
    { name: 'trailing comma', raw: 'abc,', expected: ['abc'] },
    {
      name: 'trims items, keeps inner spaces',
      raw: 'ab  c, de  \t, test, ,\t\t\t123   \t\t, "ooo, 1,,,, 3',
      expected: ['ab  c', 'de', 'test', '123', '"ooo', '1', '3'],
    },
  ])('$name', ({ raw, expected }) =>
    expect(parseStringList({ 'b.co/val': raw }, 'b.co/val')).toEqual(expected),
  );
});

describe('stringMap', () => {
  it.each([
    {
      name: 'basic',
      raw: 'key1=value1, key2=value2, key3/with-slash=value3, key4/empty-value=',
      expected: {
        ok: true,
        value: { key1: 'value1', key2: 'value2', 'key3/with-slash': 'value3', 'key4/empty-value': '' },
      },
    },
    {
      name: 'escaped comma',
      raw: 'key1=value1\\,valueOne, key2= value2, key3/with-slash=value3\\,valueThree, key4/empty-value=',
      expected: {
        ok: true,
        value: {
          key1: 'value1,valueOne',
          key2: 'value2',
          'key3/with-slash': 'value3,valueThree',
          'key4/empty-value': '',
        },
      },
    },
    {
      name: 'equals inside values',
      raw: 'key1=Mjk5NzkyNDU4Cg==, foo=ZGF=0=ZQo=, res=value_:/=+-@',
      expected: { ok: true, value: { key1: 'Mjk5NzkyNDU4Cg==', foo: 'ZGF=0=ZQo=', res: 'value_:/=+-@' } },
    },
    {
      name: 'no equals',
      raw: 'key1,key2',
      expected: { ok: false, error: 'failed to parse stringMap annotation, p.co/sfx: key1,key2' },
    },
    {
      name: 'empty key',
      raw: '=value',
      expected: { ok: false, error: 'failed to parse stringMap annotation, p.co/sfx: =value' },
    },
  ])('$name', ({ raw, expected }) =>
    expect(parseStringMap({ 'p.co/sfx': raw }, 'p.co/sfx')).toEqual(expected),
  );
});

describe('json', () => {
  it('parses', () => {
    expect(parseJson({ 'a.bc/j': '{"Name": "Test", "Value": "ABC", "Weight": 123}' }, 'a.bc/j')).toEqual({
      ok: true,
      value: { Name: 'Test', Value: 'ABC', Weight: 123 },
    });
  });
  it('reports truncated input with Go text', () => {
    const raw = '{"Name": "Test", "Value": "ABC", "Weight": ';
    expect(parseJson({ 'a.bc/j': raw }, 'a.bc/j')).toEqual({
      ok: false,
      error: `failed to parse json annotation, a.bc/j: ${raw}: unexpected end of JSON input`,
    });
  });
});
