import { describe, expect, it } from 'vitest';
import { translateStackError } from '../../../../shared/aws/elbv2-stacks-errors.js';
import {
  InvalidInputError,
  NotFoundError,
  RetryableError,
  type SlbcError,
} from '../../../../shared/errors.js';
import {
  attributeError,
  attributeRefusal,
  type MemberAnnotations,
} from '../../../../shared/reconcile/stacks/attribute.js';

const CERT = 'arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000000';
const CERT_FIELD = 'metadata.annotations["alb.ingress.kubernetes.io/certificate-arn"]';

const members: MemberAnnotations[] = [
  {
    kind: 'Ingress',
    namespace: 'shop',
    name: 'plain',
    annotations: { 'alb.ingress.kubernetes.io/group.name': 'g' },
  },
  {
    kind: 'Ingress',
    namespace: 'shop',
    name: 'secure',
    annotations: {
      'alb.ingress.kubernetes.io/certificate-arn': `arn:aws:acm:eu-west-1:123456789012:certificate/ok,${CERT}`,
    },
  },
];

describe('attributeRefusal', () => {
  it.each([
    {
      name: 'a quoted certificate ARN names the member and annotation carrying it',
      message: `CreateListener port 443: CertificateNotFound: Certificate '${CERT}' of listener not found`,
      found: { kind: 'Ingress', namespace: 'shop', name: 'secure', field: CERT_FIELD },
    },
    {
      name: 'an unquoted ARN too',
      message: `CertificateNotFound: Certificate ${CERT} not found`,
      found: { kind: 'Ingress', namespace: 'shop', name: 'secure', field: CERT_FIELD },
    },
    {
      name: 'a value no member carries: none',
      message: `Certificate 'arn:aws:acm:x:1:certificate/other' not found`,
      found: undefined,
    },
    { name: 'nothing quoted: none', message: 'TooManyLoadBalancers: quota reached', found: undefined },
  ])('$name', ({ message, found }) => {
    expect(attributeRefusal(message, members)).toEqual(found);
  });
});

describe('attributeError', () => {
  it('re-raises a permanent error against the member, keeping AWS words', () => {
    const error = attributeError(
      new InvalidInputError(`CertificateNotFound: Certificate '${CERT}' not found`),
      members,
    );
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as SlbcError).subject).toEqual({ kind: 'Ingress', name: 'shop/secure', field: CERT_FIELD });
    expect((error as SlbcError).message).toMatch(
      /^Ingress shop\/secure field .*certificate-arn.*CertificateNotFound/,
    );
  });

  it.each([
    { name: 'retryable', error: new RetryableError(`throttled '${CERT}'`) },
    { name: 'not an SlbcError', error: new Error(`'${CERT}'`) },
  ])('leaves a $name error as it is', ({ error }) => {
    expect(attributeError(error, members)).toBe(error);
  });
});

describe('translateStackError', () => {
  const aws = (name: string, status: number | undefined) =>
    Object.assign(new Error('boom'), { name, $metadata: { httpStatusCode: status } });
  it.each([
    { code: 'CertificateNotFoundException', status: 400, kind: InvalidInputError },
    { code: 'CertificateNotFound', status: 400, kind: InvalidInputError },
    { code: 'SSLPolicyNotFound', status: 400, kind: InvalidInputError },
    { code: 'ListenerNotFound', status: 400, kind: NotFoundError },
    { code: 'TargetGroupNotFound', status: 400, kind: NotFoundError },
    { code: 'TooManyLoadBalancers', status: 400, kind: InvalidInputError },
    { code: 'ValidationError', status: 400, kind: InvalidInputError },
    { code: 'Throttling', status: 400, kind: RetryableError },
    { code: 'ResourceInUse', status: 400, kind: RetryableError },
    { code: 'InternalFailure', status: 500, kind: RetryableError },
  ])('$code ($status) is $kind.name', ({ code, status, kind }) => {
    const translated = translateStackError(aws(code, status), 'CreateListener', 'port 443');
    expect(translated.constructor).toBe(kind);
    expect(translated.message).toContain(`CreateListener port 443: ${code.replace(/Exception$/, '')}`);
  });
});
