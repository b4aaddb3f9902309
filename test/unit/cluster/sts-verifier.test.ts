import { describe, expect, it } from 'vitest';
import { callerArn, parseEksToken, stsTokenVerifier } from '../../../infra/local/cluster/api/sts-verifier.js';

const NOW = Date.parse('2026-01-01T00:10:00Z');
const QUERY =
  'Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20260101%2Feu-west-1%2Fsts%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&X-Amz-Signature=abc';
const token = (url: string) => `k8s-aws-v1.${Buffer.from(url).toString('base64url')}`;
const GOOD = token(`https://sts.eu-west-1.amazonaws.com/?${QUERY}`);

describe('parseEksToken', () => {
  const cases = [
    { name: 'a regional STS presign', token: GOOD, want: true },
    { name: 'the global STS host', token: token(`https://sts.amazonaws.com/?${QUERY}`), want: true },
    { name: 'the local endpoint host', token: token(`http://127.0.0.1:4566/?${QUERY}`), want: true },
    { name: 'no prefix', token: 'abc', want: 'does not start with k8s-aws-v1.' },
    { name: 'not base64url', token: 'k8s-aws-v1.a+b/c=', want: 'not base64url' },
    { name: 'another host', token: token(`https://evil.example.com/?${QUERY}`), want: 'not an STS endpoint' },
    {
      name: 'plain http to STS',
      token: token(`http://sts.amazonaws.com/?${QUERY}`),
      want: 'not an STS endpoint',
    },
    {
      name: 'another action',
      token: token(`https://sts.amazonaws.com/?${QUERY.replace('GetCallerIdentity', 'AssumeRole')}`),
      want: 'must be GetCallerIdentity',
    },
    {
      name: 'cluster header not signed',
      token: token(`https://sts.amazonaws.com/?${QUERY.replace('host%3Bx-k8s-aws-id', 'host')}`),
      want: 'x-k8s-aws-id is not a signed header',
    },
    {
      name: 'unsigned',
      token: token(`https://sts.amazonaws.com/?${QUERY.replace('&X-Amz-Signature=abc', '')}`),
      want: 'lacks X-Amz-Signature',
    },
    {
      name: 'expired',
      token: token(`https://sts.amazonaws.com/?${QUERY.replace('20260101T000000Z', '20251231T230000Z')}`),
      want: 'expired',
    },
    { name: 'too long', token: `k8s-aws-v1.${'a'.repeat(5000)}`, want: 'longer than 4096' },
  ];
  for (const c of cases)
    it(c.name, () => {
      const result = parseEksToken(c.token, {
        clusterName: 'demo',
        allowedHosts: ['127.0.0.1:4566'],
        now: NOW,
      });
      if (c.want === true) expect(result.ok).toBe(true);
      else expect(result).toMatchObject({ ok: false, reason: expect.stringContaining(c.want as string) });
    });
});

describe('stsTokenVerifier', () => {
  it('calls the given STS endpoint with the cluster header and reads the ARN', async () => {
    const calls: { url: string; header: string | null }[] = [];
    const verify = stsTokenVerifier({
      stsEndpointUrl: 'http://127.0.0.1:4566',
      clusterName: 'demo',
      now: () => NOW,
      fetch: async (input, init) => {
        calls.push({ url: String(input), header: new Headers(init?.headers).get('x-k8s-aws-id') });
        return new Response(
          '<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:sts::1:assumed-role/r/s</Arn></GetCallerIdentityResult></GetCallerIdentityResponse>',
        );
      },
    });
    expect(await verify(GOOD)).toEqual({ ok: true, arn: 'arn:aws:sts::1:assumed-role/r/s' });
    expect(calls[0]?.url.startsWith('http://127.0.0.1:4566/?Action=GetCallerIdentity')).toBe(true);
    expect(calls[0]?.header).toBe('demo');
  });

  it('refuses when STS does', async () => {
    const verify = stsTokenVerifier({
      stsEndpointUrl: 'http://127.0.0.1:4566',
      clusterName: 'demo',
      now: () => NOW,
      fetch: async () => new Response('<Error><Code>SignatureDoesNotMatch</Code></Error>', { status: 403 }),
    });
    expect(await verify(GOOD)).toMatchObject({ ok: false, reason: expect.stringContaining('403') });
  });

  it('reads the ARN from JSON answers too', () => {
    expect(callerArn('{"GetCallerIdentityResponse":{"GetCallerIdentityResult":{"Arn":"arn:x"}}}')).toBe(
      'arn:x',
    );
    expect(callerArn('nothing')).toBeUndefined();
  });
});
