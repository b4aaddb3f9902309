/**
 * STS, for the one call slbc makes: GetCallerIdentity. It arrives either as the SDK's signed
 * POST or as the presigned GET inside an EKS bearer token (`k8s-aws-v1.` + base64url of the
 * URL, with `x-k8s-aws-id: <cluster>` among the signed headers). Local credentials are
 * arbitrary, so signatures are not verified; the presign's shape and its age on the endpoint's
 * clock are, as STS and the EKS authenticator check them.
 */
import { AwsApiError } from '../api-error.js';
import type { ServiceContext } from '../context.js';
import type { LocalService } from '../service.js';

export const STS_VERSION = '2011-06-15';
export const STS_XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** The identity every local caller has: the role slbc's Lambdas run as. */
export function localCallerIdentity(account: string) {
  return {
    UserId: 'AROA0LOCAL0000000000:slbc',
    Account: account,
    Arn: `arn:aws:sts::${account}:assumed-role/slbc-local/slbc`,
  };
}

/**
 * STS honours a presigned GetCallerIdentity for 15 minutes after X-Amz-Date whatever
 * X-Amz-Expires says (aws-iam-authenticator relies on it and caches tokens for 14 minutes).
 */
export const PRESIGN_LIFETIME_MS = 15 * 60 * 1000;

/** The query parameters SigV4 presigning adds; they are not part of the action's input. */
export const PRESIGN_PARAMS: ReadonlySet<string> = new Set([
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  'X-Amz-Signature',
  'X-Amz-Security-Token',
]);

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Throws the error STS answers when a presigned request is malformed, expired or unsigned. */
export function checkPresignedRequest(
  query: URLSearchParams,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  nowMs: number,
): void {
  const param = (name: string): string => {
    const value = query.get(name);
    if (value === null || value === '') {
      throw new AwsApiError(
        'IncompleteSignature',
        `The presigned request must contain the parameter ${name}`,
      );
    }
    return value;
  };
  const algorithm = param('X-Amz-Algorithm');
  if (algorithm !== 'AWS4-HMAC-SHA256') {
    throw new AwsApiError(
      'IncompleteSignature',
      `X-Amz-Algorithm ${algorithm} is not supported; use AWS4-HMAC-SHA256`,
    );
  }
  const credential = param('X-Amz-Credential');
  const scope = credential.split('/');
  if (scope.length !== 5 || scope[3] !== 'sts' || scope[4] !== 'aws4_request') {
    throw new AwsApiError(
      'IncompleteSignature',
      `X-Amz-Credential ${credential} is not <key>/<date>/<region>/sts/aws4_request`,
    );
  }
  const dateText = param('X-Amz-Date');
  const match = AMZ_DATE.exec(dateText);
  if (match === null)
    throw new AwsApiError('IncompleteSignature', `X-Amz-Date ${dateText} is not yyyyMMddTHHmmssZ`);
  const [, y, mo, d, h, mi, s] = match.map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const signedAt = Date.UTC(y, mo - 1, d, h, mi, s);
  const expires = param('X-Amz-Expires');
  if (!/^\d{1,6}$/.test(expires) || Number(expires) < 1 || Number(expires) > 604_800) {
    throw new AwsApiError('IncompleteSignature', `X-Amz-Expires ${expires} must be 1 to 604800 seconds`);
  }
  param('X-Amz-Signature');
  if (nowMs > signedAt + PRESIGN_LIFETIME_MS) {
    throw new AwsApiError('ExpiredToken', `The presigned request signed at ${dateText} has expired`, 403);
  }
  if (signedAt > nowMs + PRESIGN_LIFETIME_MS) {
    throw new AwsApiError('SignatureDoesNotMatch', `X-Amz-Date ${dateText} lies in the future`, 403);
  }
  const signed = param('X-Amz-SignedHeaders').split(';');
  if (!signed.includes('host')) {
    throw new AwsApiError('SignatureDoesNotMatch', 'X-Amz-SignedHeaders must include host', 403);
  }
  for (const name of signed) {
    if (headers[name] === undefined) {
      throw new AwsApiError(
        'SignatureDoesNotMatch',
        `The signed header ${name} is missing from the request`,
        403,
      );
    }
  }
}

export function createStsService(ctx: ServiceContext): LocalService {
  return {
    name: 'sts',
    handle(action) {
      if (action === 'GetCallerIdentity') return localCallerIdentity(ctx.account);
      throw new AwsApiError('InvalidAction', `Could not find operation ${action} for version ${STS_VERSION}`);
    },
  };
}
