/**
 * The local endpoint's WAFv2 (JSON 1.1, `X-Amz-Target: AWSWAF_20190729.<Action>`): REGIONAL
 * web ACLs (stored, never evaluated against traffic) and their association with load balancers
 * of the local ELBv2. Enough for slbc's `wafv2-acl-arn` annotation: Associate, Disassociate,
 * GetWebACLForResource, as the LBC calls them. See docs/local-aws.md.
 */
import { randomUUID } from 'node:crypto';
import { AwsApiError } from '../api-error.js';
import type { ServiceContext } from '../context.js';
import type { LocalService } from '../service.js';
import { type LoadBalancerView, parseLoadBalancerArn } from './resources.js';

export type { LoadBalancerView } from './resources.js';

export interface Wafv2Service extends LocalService {
  readonly name: 'wafv2';
  /** the web ACL ARN associated with a resource, as GetWebACLForResource sees it */
  webAclFor(resourceArn: string): string | undefined;
}

interface WebAcl {
  Name: string;
  Id: string;
  ARN: string;
  Description?: string;
  DefaultAction: unknown;
  Rules: unknown[];
  VisibilityConfig: unknown;
  Capacity: number;
  LockToken: string;
}

type Input = Record<string, unknown>;

const NAME = /^[\w-]{1,128}$/;

const invalid = (field: string, value: unknown, reason: string) =>
  new AwsApiError(
    'WAFInvalidParameterException',
    `Error reason: ${reason}, field: ${field}, parameter: ${JSON.stringify(value)}`,
  );
const nonexistent = (what: string) =>
  new AwsApiError(
    'WAFNonexistentItemException',
    `AWS WAF couldn't perform the operation because your resource doesn't exist: ${what}`,
  );

function str(input: Input, name: string, field = name.toUpperCase()): string {
  const value = input[name];
  if (typeof value !== 'string' || value === '') throw invalid(field, value, `${name} is required`);
  return value;
}

/** Only REGIONAL: CLOUDFRONT web ACLs live in us-east-1 and protect no load balancer. */
function regionalScope(input: Input): void {
  const scope = input['Scope'];
  if (scope !== 'REGIONAL')
    throw invalid('SCOPE_VALUE', scope, 'Scope must be REGIONAL (CLOUDFRONT is not emulated locally)');
}

export function createWafv2Service(ctx: ServiceContext, elbv2: LoadBalancerView): Wafv2Service {
  const acls = new Map<string, WebAcl>(); // by ARN
  const associations = new Map<string, string>(); // resource ARN -> web ACL ARN

  const aclByArn = (arn: string): WebAcl => {
    const acl = acls.get(arn);
    if (acl === undefined) throw nonexistent(`web ACL ${arn}`);
    return acl;
  };
  const aclById = (input: Input): WebAcl => {
    regionalScope(input);
    const name = str(input, 'Name');
    const id = str(input, 'Id', 'RESOURCE_ID');
    const acl = [...acls.values()].find((a) => a.Id === id && a.Name === name);
    if (acl === undefined) throw nonexistent(`web ACL ${name} (${id})`);
    return acl;
  };
  /** a load balancer of this region and account that exists; WAF protects ALBs only */
  const loadBalancer = (input: Input): string => {
    const arn = str(input, 'ResourceArn', 'RESOURCE_ARN');
    const parsed = parseLoadBalancerArn(arn);
    if (parsed === undefined || parsed.region !== ctx.region || parsed.account !== ctx.account)
      throw invalid('RESOURCE_ARN', arn, 'not a load balancer ARN of this account and region');
    if (parsed.type !== 'app')
      throw invalid('RESOURCE_ARN', arn, 'AWS WAF protects Application Load Balancers only');
    if (!elbv2.loadBalancerExists(arn)) throw nonexistent(`load balancer ${arn}`);
    return arn;
  };
  /** the association of a load balancer, dropped once the load balancer is gone */
  const associationOf = (resource: string): string | undefined => {
    const acl = associations.get(resource);
    if (acl !== undefined && (!acls.has(acl) || !elbv2.loadBalancerExists(resource))) {
      associations.delete(resource);
      return undefined;
    }
    return acl;
  };
  const summary = (acl: WebAcl) => ({
    Name: acl.Name,
    Id: acl.Id,
    ARN: acl.ARN,
    LockToken: acl.LockToken,
    ...(acl.Description === undefined ? {} : { Description: acl.Description }),
  });
  const describe = ({ LockToken: _lock, ...acl }: WebAcl) => ({ ...acl, ManagedByFirewallManager: false });

  const handlers: Record<string, (input: Input) => unknown> = {
    CreateWebACL(input) {
      regionalScope(input);
      const name = str(input, 'Name');
      if (!NAME.test(name)) throw invalid('NAME', name, 'Name must match [\\w-]{1,128}');
      const defaultAction = input['DefaultAction'] as Input | undefined;
      if (defaultAction === undefined || (!('Allow' in defaultAction) && !('Block' in defaultAction)))
        throw invalid('DEFAULT_ACTION', defaultAction, 'DefaultAction must be Allow or Block');
      const visibility = input['VisibilityConfig'] as Input | undefined;
      if (typeof visibility?.['MetricName'] !== 'string')
        throw invalid('METRIC_NAME', visibility, 'VisibilityConfig.MetricName is required');
      if ([...acls.values()].some((a) => a.Name === name))
        throw new AwsApiError(
          'WAFDuplicateItemException',
          `AWS WAF couldn't perform the operation because some resource in your request is a duplicate of an existing one: web ACL ${name}`,
        );
      const id = randomUUID();
      const acl: WebAcl = {
        Name: name,
        Id: id,
        ARN: `arn:aws:wafv2:${ctx.region}:${ctx.account}:regional/webacl/${name}/${id}`,
        ...(typeof input['Description'] === 'string' ? { Description: input['Description'] } : {}),
        DefaultAction: defaultAction,
        Rules: Array.isArray(input['Rules']) ? input['Rules'] : [],
        VisibilityConfig: visibility,
        Capacity: 0,
        LockToken: randomUUID(),
      };
      acls.set(acl.ARN, acl);
      return { Summary: summary(acl) };
    },
    GetWebACL(input) {
      const acl = input['ARN'] === undefined ? aclById(input) : aclByArn(str(input, 'ARN', 'RESOURCE_ARN'));
      return { WebACL: describe(acl), LockToken: acl.LockToken };
    },
    ListWebACLs(input) {
      regionalScope(input);
      const limit = input['Limit'] === undefined ? 100 : Number(input['Limit']);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100)
        throw invalid('LIMIT', input['Limit'], 'Limit must be an integer from 1 to 100');
      const all = [...acls.values()].sort((a, b) => a.Name.localeCompare(b.Name));
      const start = input['NextMarker'] === undefined ? 0 : Number(input['NextMarker']);
      if (!Number.isInteger(start) || start < 0 || start > all.length)
        throw invalid('NEXT_MARKER', input['NextMarker'], 'not a marker this endpoint issued');
      const next = start + limit < all.length ? String(start + limit) : undefined;
      return { WebACLs: all.slice(start, start + limit).map(summary), ...(next ? { NextMarker: next } : {}) };
    },
    DeleteWebACL(input) {
      const acl = aclById(input);
      if (input['LockToken'] !== acl.LockToken)
        throw new AwsApiError(
          'WAFOptimisticLockException',
          "AWS WAF couldn't save your changes because you tried to update or delete a resource that has changed since you last retrieved it.",
        );
      if ([...associations.keys()].some((resource) => associationOf(resource) === acl.ARN))
        throw new AwsApiError(
          'WAFAssociatedItemException',
          `AWS WAF couldn't perform the operation because your resource is being used by another resource or it's associated with another resource: ${acl.ARN}`,
        );
      acls.delete(acl.ARN);
      return {};
    },
    AssociateWebACL(input) {
      const acl = aclByArn(str(input, 'WebACLArn', 'RESOURCE_ARN'));
      // one web ACL per resource: a second association replaces the first
      associations.set(loadBalancer(input), acl.ARN);
      return {};
    },
    DisassociateWebACL(input) {
      associations.delete(loadBalancer(input));
      return {};
    },
    GetWebACLForResource(input) {
      const acl = associationOf(loadBalancer(input));
      return acl === undefined ? {} : { WebACL: describe(aclByArn(acl)) };
    },
    ListResourcesForWebACL(input) {
      const acl = aclByArn(str(input, 'WebACLArn', 'RESOURCE_ARN'));
      const type = input['ResourceType'] ?? 'APPLICATION_LOAD_BALANCER';
      if (type !== 'APPLICATION_LOAD_BALANCER') return { ResourceArns: [] };
      const resources = [...associations.keys()].filter((resource) => associationOf(resource) === acl.ARN);
      return { ResourceArns: resources.sort() };
    },
  };

  return {
    name: 'wafv2',
    handle(action, input) {
      const handler = handlers[action];
      if (handler === undefined)
        throw new AwsApiError(
          'UnknownOperationException',
          `WAFv2 has no operation ${action} on this endpoint`,
        );
      return handler(input);
    },
    webAclFor: (resourceArn) => associationOf(resourceArn),
    dump: () => ({
      webAcls: [...acls.values()].map(describe),
      associations: Object.fromEntries(
        [...associations.keys()].sort().flatMap((resource) => {
          const acl = associationOf(resource);
          return acl === undefined ? [] : [[resource, acl]];
        }),
      ),
    }),
  };
}
