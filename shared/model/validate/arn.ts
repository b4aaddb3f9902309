/**
 * ARN formats slbc passes to AWS unchanged. A malformed one fails late (CreateListener answers
 * CertificateNotFound or ValidationError on every retry), so it is refused in the model instead.
 */

const PARTITION = 'aws[-a-z]*';
const ACCOUNT = '[0-9]{12}';
const REGION = '[a-z]{2}(-[a-z]+)+-[0-9]+';

const CERTIFICATE = new RegExp(
  `^arn:${PARTITION}:(acm:${REGION}:${ACCOUNT}:certificate/[A-Za-z0-9-]+|iam::${ACCOUNT}:server-certificate/[\\x21-\\x7e]+)$`,
);
const WEB_ACL = new RegExp(
  `^arn:${PARTITION}:wafv2:${REGION}:${ACCOUNT}:regional/webacl/[A-Za-z0-9_-]+/[A-Za-z0-9-]+$`,
);
const USER_POOL = new RegExp(
  `^arn:${PARTITION}:cognito-idp:${REGION}:${ACCOUNT}:userpool/[\\w-]+_[0-9a-zA-Z]+$`,
);

export function certificateArnProblem(arn: string): string | undefined {
  return CERTIFICATE.test(arn)
    ? undefined
    : `not a certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id> or arn:aws:iam::<account>:server-certificate/<name>): ${JSON.stringify(arn)}`;
}

export function webAclArnProblem(arn: string): string | undefined {
  return WEB_ACL.test(arn)
    ? undefined
    : `not a regional WAFv2 web ACL ARN (arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>): ${JSON.stringify(arn)}`;
}

export function userPoolArnProblem(arn: string): string | undefined {
  return USER_POOL.test(arn)
    ? undefined
    : `not a Cognito user pool ARN (arn:aws:cognito-idp:<region>:<account>:userpool/<id>): ${JSON.stringify(arn)}`;
}
