import { describe, expect, it } from 'vitest';
import { useLocalAws } from './harness.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('malformed and unknown requests get AWS error shapes, never a 500 or a hang', () => {
  const local = useLocalAws();

  it.each([
    {
      name: 'an unknown EC2 action',
      body: 'Action=LaunchRockets&Version=2016-11-15',
      status: 400,
      shape: /<Response><Errors><Error><Code>InvalidAction<\/Code>/,
    },
    {
      name: 'an unknown ELBv2 action',
      body: 'Action=LaunchRockets&Version=2015-12-01',
      status: 400,
      shape: /<ErrorResponse><Error><Type>Sender<\/Type><Code>InvalidAction<\/Code>/,
    },
    {
      name: 'an unknown STS action',
      body: 'Action=AssumeEverything&Version=2011-06-15',
      status: 400,
      shape: /<Code>InvalidAction<\/Code>/,
    },
    { name: 'no Action', body: 'Version=2016-11-15', status: 400, shape: /<Code>MissingAction<\/Code>/ },
    {
      name: 'no Version',
      body: 'Action=DescribeVpcs',
      status: 400,
      shape: /<Code>MissingParameter<\/Code>.*Version/,
    },
    {
      name: 'an unknown API version',
      body: 'Action=DescribeVpcs&Version=1999-01-01',
      status: 400,
      shape: /<Code>NoSuchVersion<\/Code>/,
    },
    {
      name: 'a garbage body',
      body: '\u0000\u0001garbage&&==',
      status: 400,
      shape: /<Code>MissingAction<\/Code>/,
    },
    {
      name: 'broken percent-encoding',
      body: 'Action=DescribeVpcs&Version=2016-11-15&%%%=x',
      status: 400,
      shape: /<Code>MalformedQueryString<\/Code>/,
    },
    {
      name: 'a list index of 0',
      body: 'Action=DescribeTargetGroups&Version=2015-12-01&Names.member.0=tg',
      status: 400,
      shape: /<Code>ValidationError<\/Code>.*Names\.member\.0/,
    },
    {
      name: 'a structure where a list belongs',
      body: 'Action=DescribeSubnets&Version=2016-11-15&SubnetId.x=subnet-1',
      status: 400,
      shape: /<Code>InvalidParameterValue<\/Code>.*SubnetId/,
    },
    {
      name: 'a scalar and a list under one name',
      body: 'Action=DescribeSubnets&Version=2016-11-15&SubnetId=a&SubnetId.1=b',
      status: 400,
      shape: /<Code>ValidationError<\/Code>/,
    },
    {
      name: 'a missing required EC2 parameter',
      body: 'Action=CreateSecurityGroup&Version=2016-11-15&GroupDescription=x',
      status: 400,
      shape: /<Code>MissingParameter<\/Code>.*GroupName/,
    },
    {
      name: 'a bad EC2 integer',
      body: 'Action=AuthorizeSecurityGroupIngress&Version=2016-11-15&GroupId=sg-1&IpPermissions.1.IpProtocol=tcp&IpPermissions.1.FromPort=eighty',
      status: 400,
      shape: /<Code>InvalidGroup.NotFound<\/Code>/,
    },
  ])('query: $name', async ({ body, status, shape }) => {
    const response = await fetch(`${local.aws.url}/`, { method: 'POST', headers: FORM, body });
    expect(response.status).toBe(status);
    expect(await response.text()).toMatch(shape);
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each([
    {
      name: 'a body that is not JSON',
      target: 'AWSEvents.PutEvents',
      body: '{not json',
      status: 400,
      type: 'SerializationException',
    },
    {
      name: 'a JSON array body',
      target: 'AWSEvents.PutEvents',
      body: '[1,2]',
      status: 400,
      type: 'SerializationException',
    },
    {
      name: 'an unknown service prefix',
      target: 'AWSStepFunctions.StartExecution',
      body: '{}',
      status: 400,
      type: 'UnknownOperationException',
    },
    {
      name: 'an unknown EventBridge action',
      target: 'AWSEvents.LaunchRockets',
      body: '{}',
      status: 400,
      type: 'UnknownOperationException',
    },
  ])('JSON 1.1: $name', async ({ target, body, status, type }) => {
    const response = await fetch(`${local.aws.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
      body,
    });
    expect(response.status).toBe(status);
    expect(response.headers.get('x-amzn-errortype')).toBe(type);
    expect(await response.json()).toMatchObject({ __type: type, message: expect.any(String) });
  });

  it("DynamoDB: a garbage body is dynalite's SerializationException", async () => {
    const response = await fetch(`${local.aws.url}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.ListTables',
        authorization: 'AWS4-HMAC-SHA256 Credential=a/b, SignedHeaders=host, Signature=c',
        'x-amz-date': '20260101T000000Z',
      },
      body: '{garbage',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      __type: expect.stringContaining('SerializationException'),
    });
  });

  it.each([
    { name: 'an unsupported method', method: 'POST', path: '/clusters' },
    { name: 'a sub-resource this endpoint lacks', method: 'GET', path: '/clusters/demo/node-groups' },
  ])('REST-JSON: $name is UnknownOperationException', async ({ method, path }) => {
    const response = await fetch(`${local.aws.url}${path}`, { method });
    expect(response.status).toBe(404);
    expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
  });

  it.each([
    {
      name: 'awsQuery',
      path: '/',
      init: { method: 'POST', headers: FORM, body: 'Action=GetCallerIdentity&Version=2011-06-15' },
      service: 'sts' as const,
      shape: /<Type>Receiver<\/Type><Code>InternalFailure<\/Code>.*boom/,
    },
    {
      name: 'REST-JSON',
      path: '/clusters/demo',
      init: { method: 'GET' },
      service: 'eks' as const,
      shape: /"message":".*boom/,
    },
  ])(
    '$name: a bug inside a service is InternalFailure 500 in the protocol shape',
    async ({ path, init, service, shape }) => {
      const target = local.aws.services[service];
      const original = target.handle;
      target.handle = () => {
        throw new TypeError('boom');
      };
      try {
        const response = await fetch(`${local.aws.url}${path}`, init);
        expect(response.status).toBe(500);
        expect(await response.text()).toMatch(shape);
      } finally {
        target.handle = original;
      }
    },
  );

  it('keeps serving on the same connection after errors', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        fetch(`${local.aws.url}/`, {
          method: 'POST',
          headers: FORM,
          body: i % 2 ? 'garbage' : 'Action=DescribeVpcs&Version=2016-11-15',
        }),
      ),
    );
    expect(answers.map((r) => r.status)).toEqual(Array.from({ length: 20 }, (_, i) => (i % 2 ? 400 : 200)));
  });
});
