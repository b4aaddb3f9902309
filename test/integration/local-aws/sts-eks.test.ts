import { X509Certificate } from 'node:crypto';
import {
  DescribeClusterCommand,
  EKSClient,
  ListClustersCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-eks';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { virtualClock } from '../../../infra/local/aws/index.js';
import { defaultTopology } from '../../../infra/local/aws/topology.js';
import { createEksToken, decodeEksToken, EKS_TOKEN_PREFIX } from '../../../shared/aws/eks-token.js';
import { rejection, useLocalAws } from './harness.js';

const clock = virtualClock(Date.parse('2026-03-01T12:00:00Z'));
const topology = defaultTopology();
topology.clusters.push({ name: 'batch', endpoint: '', certificateAuthority: 'Q0E=', version: '1.32' });
topology.clusters.push({ name: 'fresh', endpoint: '', certificateAuthority: '', version: '1.33' });
const credentials = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'secret' };

describe('local STS and EKS through the SDK', () => {
  const local = useLocalAws({ clock, topology });

  it('answers GetCallerIdentity with the local role', async () => {
    const identity = await new STSClient(local.config).send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({
      Account: '000000000000',
      Arn: 'arn:aws:sts::000000000000:assumed-role/slbc-local/slbc',
    });
  });

  describe('the presigned GetCallerIdentity inside an EKS token', () => {
    const token = (signingDate = new Date(clock.now())) =>
      createEksToken({
        clusterName: 'demo',
        region: 'eu-west-1',
        credentials,
        endpoint: local.aws.url,
        signingDate,
      });

    it('is k8s-aws-v1. and a base64url presigned URL that signs x-k8s-aws-id', async () => {
      const value = await token();
      expect(value.startsWith(EKS_TOKEN_PREFIX)).toBe(true);
      expect(value.slice(EKS_TOKEN_PREFIX.length)).toMatch(/^[A-Za-z0-9_-]+$/);
      const url = decodeEksToken(value);
      expect(url.searchParams.get('Action')).toBe('GetCallerIdentity');
      expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host;x-k8s-aws-id');
      expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
      expect(url.searchParams.get('X-Amz-Credential')).toMatch(
        /^AKIDLOCAL\/20260301\/eu-west-1\/sts\/aws4_request$/,
      );
    });

    it.each([
      {
        name: 'a fresh token with its cluster header',
        ageMs: 0,
        header: 'demo',
        status: 200,
        body: /<Account>000000000000<\/Account>/,
      },
      {
        name: 'a token used after 14 minutes',
        ageMs: 14 * 60_000,
        header: 'demo',
        status: 200,
        body: /GetCallerIdentityResult/,
      },
      {
        name: 'a token older than 15 minutes',
        ageMs: 15 * 60_000 + 1000,
        header: 'demo',
        status: 403,
        body: /<Code>ExpiredToken<\/Code>/,
      },
      {
        name: 'a request without the signed cluster header',
        ageMs: 0,
        header: undefined,
        status: 403,
        body: /<Code>SignatureDoesNotMatch<\/Code>/,
      },
    ])('accepts or rejects $name', async ({ ageMs, header, status, body }) => {
      const url = decodeEksToken(await token(new Date(clock.now() - ageMs)));
      const before = local.aws.counters.get('sts', 'GetCallerIdentity');
      const response = await fetch(url, { headers: header === undefined ? {} : { 'x-k8s-aws-id': header } });
      expect(response.status).toBe(status);
      expect(await response.text()).toMatch(body);
      expect(local.aws.counters.get('sts', 'GetCallerIdentity')).toBe(before + 1);
    });

    it.each([
      {
        name: 'no algorithm',
        edit: (q: URLSearchParams) => q.delete('X-Amz-Algorithm'),
        code: 'IncompleteSignature',
      },
      {
        name: 'a malformed date',
        edit: (q: URLSearchParams) => q.set('X-Amz-Date', '2026-03-01'),
        code: 'IncompleteSignature',
      },
      {
        name: 'a non-STS credential scope',
        edit: (q: URLSearchParams) => q.set('X-Amz-Credential', 'AKID/20260301/eu-west-1/s3/aws4_request'),
        code: 'IncompleteSignature',
      },
      {
        name: 'host left unsigned',
        edit: (q: URLSearchParams) => q.set('X-Amz-SignedHeaders', 'x-k8s-aws-id'),
        code: 'SignatureDoesNotMatch',
      },
    ])('rejects a presign with $name', async ({ edit, code }) => {
      const url = decodeEksToken(await token());
      edit(url.searchParams);
      const response = await fetch(url, { headers: { 'x-k8s-aws-id': 'demo' } });
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(await response.text()).toContain(`<Code>${code}</Code>`);
    });
  });

  // EKS API reference, DescribeCluster: an ACTIVE cluster has `endpoint` ("The endpoint for your
  // Kubernetes API server", an https URL) and `certificateAuthority.data` ("The Base64-encoded
  // certificate data required to communicate with your cluster", a PEM CA bundle).
  it('gives a cluster the topology leaves bare an https endpoint and a base64 PEM CA, as EKS does', async () => {
    const eks = new EKSClient(local.config);
    const { cluster } = await eks.send(new DescribeClusterCommand({ name: 'fresh' }));
    expect(cluster?.endpoint).toMatch(/^https:\/\/[0-9A-F]{32}\.gr7\.eu-west-1\.eks\.amazonaws\.com$/);
    const pem = Buffer.from(cluster?.certificateAuthority?.data ?? '', 'base64').toString('utf8');
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n$/);
    const ca = new X509Certificate(pem);
    expect(ca).toMatchObject({ subject: 'CN=kubernetes', issuer: 'CN=kubernetes', ca: true });
    expect(ca.verify(ca.publicKey)).toBe(true);
    // what the topology gives is kept
    const { cluster: batch } = await eks.send(new DescribeClusterCommand({ name: 'batch' }));
    expect(batch?.certificateAuthority?.data).toBe('Q0E=');
    expect(batch?.endpoint).toMatch(/^https:\/\//);
  });

  it('describes a cluster from the topology, with the endpoint the simulated cluster sets', async () => {
    local.aws.services.eks.setClusterEndpoint('demo', 'http://127.0.0.1:6443', 'LS0tLS1CRUdJTg==');
    const { cluster } = await new EKSClient(local.config).send(new DescribeClusterCommand({ name: 'demo' }));
    expect(cluster).toMatchObject({
      name: 'demo',
      arn: 'arn:aws:eks:eu-west-1:000000000000:cluster/demo',
      status: 'ACTIVE',
      endpoint: 'http://127.0.0.1:6443',
      certificateAuthority: { data: 'LS0tLS1CRUdJTg==' },
      resourcesVpcConfig: { vpcId: 'vpc-0local00000000001', subnetIds: topology.subnets.map((s) => s.id) },
    });
    expect(cluster?.createdAt).toEqual(new Date('2026-03-01T12:00:00Z'));
  });

  it('lists clusters, page by page', async () => {
    const eks = new EKSClient(local.config);
    const first = await eks.send(new ListClustersCommand({ maxResults: 1 }));
    expect(first.clusters).toEqual(['batch']);
    const second = await eks.send(new ListClustersCommand({ maxResults: 2, nextToken: first.nextToken }));
    expect(second).toMatchObject({ clusters: ['demo', 'fresh'] });
    expect(second.nextToken).toBeUndefined();
  });

  it('raises the modelled ResourceNotFoundException for an unknown cluster', async () => {
    const error = await rejection(
      new EKSClient(local.config).send(new DescribeClusterCommand({ name: 'ghost' })),
    );
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error.message).toContain('ghost');
    expect((error.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(404);
  });
});
