/**
 * A Kubernetes bearer token for an EKS cluster from AWS credentials, as `aws eks get-token`
 * makes it: a presigned STS GetCallerIdentity URL that signs the `x-k8s-aws-id: <cluster>`
 * header, base64url-encoded behind `k8s-aws-v1.`. The API server's authenticator calls the URL
 * and maps the caller to a Kubernetes user. Valid 15 minutes after signing; reuse for 14.
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, Checksum, Provider, SourceData } from '@smithy/types';

export const EKS_TOKEN_PREFIX = 'k8s-aws-v1.';
/** Tokens are good for 15 minutes; refresh a minute early as aws-iam-authenticator does. */
export const EKS_TOKEN_REUSE_MS = 14 * 60 * 1000;
const PRESIGN_EXPIRES_SECONDS = 60;

export interface EksTokenOptions {
  clusterName: string;
  region: string;
  credentials: AwsCredentialIdentity | Provider<AwsCredentialIdentity>;
  /** STS endpoint; defaults to AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, then the regional STS */
  endpoint?: string;
  /** signing time; defaults to now */
  signingDate?: Date;
}

export async function createEksToken(options: EksTokenOptions): Promise<string> {
  const endpoint = new URL(
    options.endpoint ??
      process.env['AWS_ENDPOINT_URL_STS'] ??
      process.env['AWS_ENDPOINT_URL'] ??
      `https://sts.${options.region}.amazonaws.com`,
  );
  const signer = new SignatureV4({
    service: 'sts',
    region: options.region,
    credentials: options.credentials,
    sha256: NodeSha256,
  });
  const host = endpoint.host;
  const presigned = await signer.presign(
    {
      method: 'GET',
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      ...(endpoint.port === '' ? {} : { port: Number(endpoint.port) }),
      path: endpoint.pathname || '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host, 'x-k8s-aws-id': options.clusterName },
    },
    {
      expiresIn: PRESIGN_EXPIRES_SECONDS,
      ...(options.signingDate === undefined ? {} : { signingDate: options.signingDate }),
    },
  );
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(presigned.query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) if (item !== null) query.append(key, item);
  }
  const url = `${endpoint.protocol}//${host}${presigned.path}?${query.toString()}`;
  return EKS_TOKEN_PREFIX + Buffer.from(url, 'utf8').toString('base64url');
}

/** Decodes a token back to its presigned URL (for the local authenticator and for tests). */
export function decodeEksToken(token: string): URL {
  if (!token.startsWith(EKS_TOKEN_PREFIX)) throw new Error(`EKS token must start with ${EKS_TOKEN_PREFIX}`);
  return new URL(Buffer.from(token.slice(EKS_TOKEN_PREFIX.length), 'base64url').toString('utf8'));
}

/** SHA-256 and HMAC-SHA256 for the signer, from node:crypto (no extra dependency). */
class NodeSha256 implements Checksum {
  private hash: Hash | Hmac;

  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }

  update(data: Uint8Array | string): void {
    this.hash.update(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }

  reset(): void {
    this.hash = this.fresh();
  }

  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(this.secret));
  }
}

function toBuffer(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}
