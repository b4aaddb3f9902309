import { describe, expect, it } from 'vitest';
import { AwsApiError } from '../../../infra/local/aws/api-error.js';
import { parseJsonBody, toAwsJson } from '../../../infra/local/aws/protocol/json.js';
import { asApiError, throttlingError } from '../../../infra/local/aws/protocol/respond.js';
import {
  ec2ErrorXml,
  ec2ResponseXml,
  queryErrorXml,
  queryResponseXml,
  xmlMembers,
} from '../../../infra/local/aws/protocol/xml.js';

const members = (value: unknown, list: 'member' | 'item') => xmlMembers(value, list);

describe('XML members', () => {
  it.each<{ name: string; value: unknown; list: 'member' | 'item'; xml: string }>([
    {
      name: 'strings are escaped',
      value: { Name: 'a<b>&"c\'' },
      list: 'member',
      xml: '<Name>a&lt;b&gt;&amp;&quot;c&apos;</Name>',
    },
    {
      name: 'numbers and booleans as text',
      value: { Port: 80, IsDefault: false },
      list: 'member',
      xml: '<Port>80</Port><IsDefault>false</IsDefault>',
    },
    {
      name: 'dates as ISO-8601',
      value: { CreatedTime: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)) },
      list: 'member',
      xml: '<CreatedTime>2026-01-02T03:04:05.000Z</CreatedTime>',
    },
    {
      name: 'query lists as member',
      value: { Names: ['a', 'b'] },
      list: 'member',
      xml: '<Names><member>a</member><member>b</member></Names>',
    },
    {
      name: 'EC2 lists as item',
      value: { subnetSet: [{ subnetId: 's' }] },
      list: 'item',
      xml: '<subnetSet><item><subnetId>s</subnetId></item></subnetSet>',
    },
    {
      name: 'an empty list as an empty element',
      value: { Targets: [] },
      list: 'member',
      xml: '<Targets></Targets>',
    },
    {
      name: 'null and undefined members left out',
      value: { A: null, B: undefined, C: 'c' },
      list: 'member',
      xml: '<C>c</C>',
    },
  ])('$name', ({ value, list, xml }) => {
    expect(members(value, list)).toBe(xml);
  });
});

describe('response envelopes', () => {
  it('frames an awsQuery result with its action and request id', () => {
    expect(queryResponseXml('DescribeThings', 'urn:ns', { Things: ['x'] }, 'req-1')).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<DescribeThingsResponse xmlns="urn:ns"><DescribeThingsResult>' +
        '<Things><member>x</member></Things></DescribeThingsResult>' +
        '<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></DescribeThingsResponse>',
    );
  });

  it('frames an EC2 result at the root, after requestId', () => {
    expect(ec2ResponseXml('DeleteTags', 'urn:ec2', { return: true }, 'req-2')).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<DeleteTagsResponse xmlns="urn:ec2"><requestId>req-2</requestId>' +
        '<return>true</return></DeleteTagsResponse>',
    );
  });

  it.each([
    {
      name: 'awsQuery',
      xml: queryErrorXml(new AwsApiError('PriorityInUse', 'Priority "1" is in use'), 'r'),
      expected:
        /<ErrorResponse><Error><Type>Sender<\/Type><Code>PriorityInUse<\/Code><Message>Priority &quot;1&quot; is in use<\/Message><\/Error><RequestId>r<\/RequestId><\/ErrorResponse>/,
    },
    {
      name: 'awsQuery server faults as Receiver',
      xml: queryErrorXml(new AwsApiError('InternalFailure', 'x', 500), 'r'),
      expected: /<Type>Receiver<\/Type><Code>InternalFailure<\/Code>/,
    },
    {
      name: 'EC2',
      xml: ec2ErrorXml(new AwsApiError('InvalidGroup.NotFound', 'gone'), 'r'),
      expected:
        /<Response><Errors><Error><Code>InvalidGroup.NotFound<\/Code><Message>gone<\/Message><\/Error><\/Errors><RequestID>r<\/RequestID><\/Response>/,
    },
  ])('encodes $name errors', ({ xml, expected }) => {
    expect(xml).toMatch(expected);
  });
});

describe('JSON', () => {
  it('writes Dates as epoch seconds, nested or not', () => {
    const at = new Date(1_767_225_600_500);
    expect(JSON.parse(toAwsJson({ at, list: [{ at }] }))).toEqual({
      at: 1_767_225_600.5,
      list: [{ at: 1_767_225_600.5 }],
    });
  });

  it.each([
    { name: 'an empty body is an empty object', body: '  ', expected: {} },
    { name: 'an object', body: '{"Entries":[]}', expected: { Entries: [] } },
  ])('parses $name', ({ body, expected }) => {
    expect(parseJsonBody(body)).toEqual(expected);
  });

  it.each([
    { name: 'broken JSON', body: '{', message: /not valid JSON/ },
    { name: 'an array', body: '[]', message: /must be a JSON object/ },
    { name: 'a string', body: '"x"', message: /must be a JSON object/ },
    { name: 'null', body: 'null', message: /must be a JSON object/ },
  ])('rejects $name as SerializationException', ({ body, message }) => {
    expect(() => parseJsonBody(body)).toThrow(message);
    try {
      parseJsonBody(body);
    } catch (error) {
      expect((error as AwsApiError).code).toBe('SerializationException');
    }
  });
});

describe('error mapping', () => {
  it.each([
    { protocol: 'query' as const, code: 'Throttling' },
    { protocol: 'ec2' as const, code: 'RequestLimitExceeded' },
    { protocol: 'json' as const, code: 'ThrottlingException' },
    { protocol: 'dynamodb' as const, code: 'ThrottlingException' },
    { protocol: 'rest-json' as const, code: 'ThrottlingException' },
  ])('throttles $protocol with $code', ({ protocol, code }) => {
    expect(throttlingError(protocol)).toMatchObject({ code, status: 400 });
  });

  it('keeps AwsApiErrors and turns anything else into InternalFailure 500', () => {
    const api = new AwsApiError('ValidationError', 'bad');
    expect(asApiError(api)).toBe(api);
    expect(asApiError(new TypeError('x is undefined'))).toMatchObject({
      code: 'InternalFailure',
      status: 500,
      type: 'Receiver',
    });
    expect(asApiError('a string')).toMatchObject({
      code: 'InternalFailure',
      message: expect.stringContaining('a string'),
    });
  });
});
