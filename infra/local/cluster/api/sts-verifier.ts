/**
 * Authenticates EKS bearer tokens the way aws-iam-authenticator does: the token is
 * `k8s-aws-v1.` + base64url(a presigned STS GetCallerIdentity URL); the URL must be an STS
 * GetCallerIdentity presign that signs the `x-k8s-aws-id` header, and calling it with that
 * header set to this cluster's name must succeed. The caller's ARN in STS's answer is who the
 * request is from. Here the call goes to the local STS endpoint instead of AWS.
 */

export interface TokenVerdict {
  ok: boolean;
  /** the caller's ARN (an STS assumed-role ARN for roles) when ok */
  arn?: string;
  reason?: string;
}

export type TokenVerifier = (token: string) => Promise<TokenVerdict>;

export const TOKEN_PREFIX = 'k8s-aws-v1.';
/** aws-iam-authenticator refuses tokens longer than 4 KiB. */
export const MAX_TOKEN_LENGTH = 4 * 1024;
/** STS honours a presigned GetCallerIdentity for 15 minutes after X-Amz-Date. */
const PRESIGN_LIFETIME_MS = 15 * 60 * 1000;
const STS_HOST = /^sts(\.[a-z0-9-]+)?\.amazonaws\.com(\.cn)?$/;

export interface StsTokenVerifierOptions {
  /** where GetCallerIdentity is really called, e.g. the local endpoint `http://127.0.0.1:4566` */
  stsEndpointUrl: string;
  clusterName: string;
  /** for the token's age; defaults to real time */
  now?: () => number;
  /** defaults to global fetch */
  fetch?: typeof fetch;
}

export type ParsedToken = { ok: true; url: URL } | { ok: false; reason: string };

/**
 * Checks a token's shape without calling STS. `allowedHosts` are accepted besides the public
 * STS hosts (the local endpoint signs URLs for its own host).
 */
export function parseEksToken(
  token: string,
  options: { clusterName: string; allowedHosts?: string[]; now?: number },
): ParsedToken {
  const fail = (reason: string): ParsedToken => ({ ok: false, reason });
  if (!token.startsWith(TOKEN_PREFIX)) return fail(`token does not start with ${TOKEN_PREFIX}`);
  if (token.length > MAX_TOKEN_LENGTH) return fail(`token is longer than ${MAX_TOKEN_LENGTH} bytes`);
  const encoded = token.slice(TOKEN_PREFIX.length);
  if (!/^[A-Za-z0-9_-]+$/.test(encoded)) return fail('token is not base64url (no padding)');
  let url: URL;
  try {
    url = new URL(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    return fail('token does not decode to a URL');
  }
  const knownHost = STS_HOST.test(url.hostname) && url.protocol === 'https:';
  if (!knownHost && !(options.allowedHosts ?? []).includes(url.host))
    return fail(`presigned URL host ${url.host} is not an STS endpoint`);
  if (url.pathname !== '/') return fail(`presigned URL path must be "/" (got ${url.pathname})`);
  const query = url.searchParams;
  if (query.get('Action') !== 'GetCallerIdentity')
    return fail(`presigned URL action must be GetCallerIdentity (got ${query.get('Action') ?? 'none'})`);
  for (const param of [
    'X-Amz-Algorithm',
    'X-Amz-Credential',
    'X-Amz-Date',
    'X-Amz-SignedHeaders',
    'X-Amz-Signature',
  ])
    if (!query.get(param)) return fail(`presigned URL lacks ${param}`);
  const signed = (query.get('X-Amz-SignedHeaders') ?? '').split(';');
  if (!signed.includes('x-k8s-aws-id'))
    return fail('x-k8s-aws-id is not a signed header of the presigned URL');
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(query.get('X-Amz-Date') ?? '');
  if (!date) return fail('X-Amz-Date is not yyyyMMddTHHmmssZ');
  if (options.now !== undefined) {
    const [, y, mo, d, h, mi, s] = date.map(Number) as number[];
    const signedAt = Date.UTC(y as number, (mo as number) - 1, d, h, mi, s);
    if (options.now - signedAt > PRESIGN_LIFETIME_MS)
      return fail('token has expired (signed more than 15 minutes ago)');
    if (signedAt - options.now > PRESIGN_LIFETIME_MS) return fail('token is signed in the future');
  }
  return { ok: true, url };
}

/** The ARN in a GetCallerIdentity answer, XML (query protocol) or JSON. */
export function callerArn(body: string): string | undefined {
  const xml = /<Arn>([^<]+)<\/Arn>/.exec(body);
  if (xml) return xml[1];
  try {
    const json = JSON.parse(body) as {
      GetCallerIdentityResponse?: { GetCallerIdentityResult?: { Arn?: string } };
      Arn?: string;
    };
    return json.GetCallerIdentityResponse?.GetCallerIdentityResult?.Arn ?? json.Arn;
  } catch {
    return undefined;
  }
}

export function stsTokenVerifier(options: StsTokenVerifierOptions): TokenVerifier {
  const endpoint = new URL(options.stsEndpointUrl);
  const doFetch = options.fetch ?? fetch;
  return async (token) => {
    const parsed = parseEksToken(token, {
      clusterName: options.clusterName,
      allowedHosts: [endpoint.host],
      now: (options.now ?? Date.now)(),
    });
    if (!parsed.ok) return parsed;
    const target = new URL(parsed.url.toString());
    target.protocol = endpoint.protocol;
    target.host = endpoint.host;
    let response: Response;
    try {
      response = await doFetch(target, { method: 'GET', headers: { 'x-k8s-aws-id': options.clusterName } });
    } catch (error) {
      return {
        ok: false,
        reason: `STS is unreachable: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    const body = await response.text();
    if (response.status !== 200)
      return {
        ok: false,
        reason: `STS refused the presigned request (${response.status}): ${body.slice(0, 200)}`,
      };
    const arn = callerArn(body);
    if (!arn) return { ok: false, reason: 'STS answer has no Arn' };
    return { ok: true, arn };
  };
}
