import {
  DescribeTagsCommand,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { InvalidInputError, SlbcError } from '../errors.js';
import type { Tags } from '../model/stack.js';
import { TAG_KEYS } from '../model/tags.js';
import type { StackCall } from './elbv2-stacks-errors.js';

/**
 * Ownership at every write. CreateLoadBalancer and CreateTargetGroup are idempotent by name: with
 * the same settings AWS answers with the resource that already exists, whoever made it, and its
 * tags are not compared. So the ARN a create answers is used only once DescribeTags shows our
 * cluster tag and our stack tag on it (a resource this call made carries the tags we sent); a
 * foreign one is refused before any further call names it (no attribute, tag, listener or rule).
 * A name taken with other settings (Duplicate…Name) is the same refusal: the name is not ours.
 */
export type OwnedKind = 'load balancer' | 'target group';

/** With the cluster tag, the tag that names the stack (an Ingress group or a Service). */
const STACK_KEYS: readonly string[] = [TAG_KEYS.ingressStack, TAG_KEYS.serviceStack];

const DUPLICATE_NAME = /^Duplicate(LoadBalancer|TargetGroup)Name$/;

/** The refusal: permanent, naming the resource by the name the Ingress/Service asked for. */
export class NotOwnedError extends InvalidInputError {
  override readonly name: string = 'NotOwnedError';
}

export function notOwned(kind: OwnedKind, name: string, detail: string, cause?: unknown): NotOwnedError {
  return new NotOwnedError(`${kind} '${name}' exists and is not owned by this stack (${detail})`, {
    ...(cause === undefined ? {} : { cause }),
    subject: { kind: kind === 'load balancer' ? 'LoadBalancer' : 'TargetGroup', name },
  });
}

/** The ownership tags we sent that `actual` lacks or carries with another value, as `key=value`. */
export function missingOwnership(sent: Tags, actual: Tags): string[] {
  // the cluster tag always; the stack tag this stack uses (an Ingress group's or a Service's)
  const stackKey = STACK_KEYS.find((key) => sent[key] !== undefined) ?? TAG_KEYS.ingressStack;
  return [TAG_KEYS.cluster, stackKey]
    .filter((key) => sent[key] === undefined || actual[key] !== sent[key])
    .map((key) => `${key}=${sent[key] ?? '(not sent)'}`);
}

function awsCode(error: unknown): string | undefined {
  const cause = error instanceof SlbcError ? error.cause : error;
  const named = cause as { name?: string; Code?: string } | undefined;
  return named?.Code ?? named?.name;
}

/** The create call, its Duplicate…Name answer turned into the ownership refusal. */
export async function createByName<T>(kind: OwnedKind, name: string, create: () => Promise<T>): Promise<T> {
  try {
    return await create();
  } catch (error) {
    if (DUPLICATE_NAME.test(awsCode(error) ?? ''))
      throw notOwned(kind, name, 'a resource of that name exists with other settings', error);
    throw error;
  }
}

/** DescribeTags on the ARN a create answered: throws NotOwnedError unless it carries our ownership tags. */
export async function assertOwned(
  client: ElasticLoadBalancingV2Client,
  call: StackCall,
  kind: OwnedKind,
  name: string,
  arn: string,
  sent: Tags,
): Promise<void> {
  const result = await call('DescribeTags', arn, () =>
    client.send(new DescribeTagsCommand({ ResourceArns: [arn] })),
  );
  const found = result.TagDescriptions?.find((description) => description.ResourceArn === arn);
  const actual: Tags = Object.fromEntries((found?.Tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
  const missing = missingOwnership(sent, actual);
  if (missing.length > 0) throw notOwned(kind, name, `${arn} lacks ${missing.join(', ')}`);
}
