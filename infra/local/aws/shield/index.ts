/**
 * The local endpoint's Shield Advanced (JSON 1.1, `X-Amz-Target: AWSShield_20160616.<Action>`):
 * the subscription state and protections of load balancers of the local ELBv2, as slbc's
 * `shield-advanced-protection` annotation needs them. Nothing is mitigated. The subscription
 * is ACTIVE unless a test sets it INACTIVE (`setSubscriptionState`). See docs/local-aws.md.
 */
import { randomUUID } from 'node:crypto';
import { AwsApiError } from '../api-error.js';
import type { ServiceContext } from '../context.js';
import type { LocalService } from '../service.js';
import { type LoadBalancerView, parseLoadBalancerArn } from '../wafv2/resources.js';

export type SubscriptionState = 'ACTIVE' | 'INACTIVE';

export interface ShieldService extends LocalService {
  readonly name: 'shield';
  setSubscriptionState(state: SubscriptionState): void;
}

interface Protection {
  Id: string;
  Name: string;
  ResourceArn: string;
  ProtectionArn: string;
  HealthCheckIds: string[];
}

type Input = Record<string, unknown>;

const NAME = /^[ a-zA-Z0-9_.:/=+\-@]{1,128}$/;

const invalidParameter = (message: string) => new AwsApiError('InvalidParameterException', message);
const notFound = (message: string) => new AwsApiError('ResourceNotFoundException', message);

export function createShieldService(ctx: ServiceContext, elbv2: LoadBalancerView): ShieldService {
  const protections = new Map<string, Protection>(); // by Id
  let subscription: SubscriptionState = 'ACTIVE';

  /** a protection whose load balancer was deleted goes with it */
  const live = (protection: Protection | undefined): Protection | undefined => {
    if (protection !== undefined && !elbv2.loadBalancerExists(protection.ResourceArn)) {
      protections.delete(protection.Id);
      return undefined;
    }
    return protection;
  };
  const all = () => [...protections.values()].filter((p) => live(p) !== undefined);
  const byResource = (arn: string) => live([...protections.values()].find((p) => p.ResourceArn === arn));

  const resourceArn = (input: Input): string => {
    const arn = input['ResourceArn'];
    if (typeof arn !== 'string' || arn === '') throw invalidParameter('ResourceArn is required');
    const parsed = parseLoadBalancerArn(arn);
    if (parsed === undefined || parsed.region !== ctx.region || parsed.account !== ctx.account)
      throw new AwsApiError(
        'InvalidResourceException',
        `${arn} is not a resource Shield can protect here: only load balancers of this account and region are emulated`,
      );
    if (!elbv2.loadBalancerExists(arn))
      throw new AwsApiError('InvalidResourceException', `Resource ${arn} does not exist`);
    return arn;
  };

  const handlers: Record<string, (input: Input) => unknown> = {
    GetSubscriptionState: () => ({ SubscriptionState: subscription }),
    CreateProtection(input) {
      const name = input['Name'];
      if (typeof name !== 'string' || !NAME.test(name))
        throw invalidParameter(
          `Name ${JSON.stringify(name)} must be 1 to 128 of letters, digits, spaces and _.:/=+-@`,
        );
      const arn = resourceArn(input);
      if (subscription !== 'ACTIVE')
        throw notFound('The account has no Shield Advanced subscription (SubscriptionState is INACTIVE)');
      if (byResource(arn) !== undefined)
        throw new AwsApiError('ResourceAlreadyExistsException', `A protection already exists for ${arn}`);
      const id = randomUUID();
      protections.set(id, {
        Id: id,
        Name: name,
        ResourceArn: arn,
        ProtectionArn: `arn:aws:shield::${ctx.account}:protection/${id}`,
        HealthCheckIds: [],
      });
      return { ProtectionId: id };
    },
    DescribeProtection(input) {
      const id = input['ProtectionId'];
      const arn = input['ResourceArn'];
      if ((id === undefined) === (arn === undefined))
        throw invalidParameter('Specify exactly one of ProtectionId and ResourceArn');
      const protection = id === undefined ? byResource(String(arn)) : live(protections.get(String(id)));
      if (protection === undefined)
        throw notFound(`No protection found for ${id === undefined ? `resource ${arn}` : `id ${id}`}`);
      return { Protection: protection };
    },
    DeleteProtection(input) {
      const id = String(input['ProtectionId'] ?? '');
      if (live(protections.get(id)) === undefined) throw notFound(`No protection found for id ${id}`);
      protections.delete(id);
      return {};
    },
    ListProtections(input) {
      const max = input['MaxResults'] === undefined ? 100 : Number(input['MaxResults']);
      if (!Number.isInteger(max) || max < 1 || max > 10_000)
        throw invalidParameter('MaxResults must be an integer from 1 to 10000');
      const list = all().sort((a, b) => a.Name.localeCompare(b.Name) || a.Id.localeCompare(b.Id));
      const start = input['NextToken'] === undefined ? 0 : Number(input['NextToken']);
      if (!Number.isInteger(start) || start < 0 || start > list.length)
        throw new AwsApiError('InvalidPaginationTokenException', 'NextToken is not one this endpoint issued');
      const next = start + max < list.length ? String(start + max) : undefined;
      return { Protections: list.slice(start, start + max), ...(next ? { NextToken: next } : {}) };
    },
  };

  return {
    name: 'shield',
    handle(action, input) {
      const handler = handlers[action];
      if (handler === undefined)
        throw new AwsApiError(
          'UnknownOperationException',
          `Shield has no operation ${action} on this endpoint`,
        );
      return handler(input);
    },
    setSubscriptionState(state) {
      if (state !== 'ACTIVE' && state !== 'INACTIVE')
        throw new Error(
          `shield.setSubscriptionState: state must be ACTIVE or INACTIVE, got ${String(state)}`,
        );
      subscription = state;
    },
    dump: () => ({ subscriptionState: subscription, protections: all() }),
  };
}
