/**
 * Local WAFv2 and Shield through the real SDK clients, against load balancers of the local
 * ELBv2. Rules cited are from the AWS WAFv2 and AWS Shield API References.
 */
import {
  CreateLoadBalancerCommand,
  DeleteLoadBalancerCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  CreateProtectionCommand,
  DeleteProtectionCommand,
  DescribeProtectionCommand,
  GetSubscriptionStateCommand,
  InvalidResourceException,
  ListProtectionsCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  ShieldClient,
} from '@aws-sdk/client-shield';
import {
  AssociateWebACLCommand,
  CreateWebACLCommand,
  DeleteWebACLCommand,
  DisassociateWebACLCommand,
  GetWebACLCommand,
  GetWebACLForResourceCommand,
  ListResourcesForWebACLCommand,
  ListWebACLsCommand,
  WAFAssociatedItemException,
  WAFDuplicateItemException,
  WAFInvalidParameterException,
  WAFNonexistentItemException,
  WAFV2Client,
} from '@aws-sdk/client-wafv2';
import { beforeAll, describe, expect, it } from 'vitest';
import { rejection, useLocalAws } from './harness.js';

const local = useLocalAws();
let elbv2: ElasticLoadBalancingV2Client;
let waf: WAFV2Client;
let shield: ShieldClient;
let lbSeq = 0;

const SUBNETS = ['subnet-0private0000001', 'subnet-0private0000002'];
const MISSING_ALB =
  'arn:aws:elasticloadbalancing:eu-west-1:000000000000:loadbalancer/app/gone/0123456789abcdef';

beforeAll(() => {
  elbv2 = new ElasticLoadBalancingV2Client(local.config);
  waf = new WAFV2Client(local.config);
  shield = new ShieldClient(local.config);
});

async function loadBalancer(type: 'application' | 'network' = 'application'): Promise<string> {
  const out = await elbv2.send(
    new CreateLoadBalancerCommand({
      Name: `lb-${++lbSeq}`,
      Type: type,
      Scheme: 'internal',
      Subnets: SUBNETS,
    }),
  );
  return out.LoadBalancers![0]!.LoadBalancerArn!;
}

async function webAcl(name: string) {
  const out = await waf.send(
    new CreateWebACLCommand({
      Name: name,
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      VisibilityConfig: { SampledRequestsEnabled: false, CloudWatchMetricsEnabled: false, MetricName: name },
    }),
  );
  return out.Summary!;
}

describe('local WAFv2', () => {
  it('CreateWebACL answers a regional ARN; GetWebACL and ListWebACLs find it; a duplicate name is refused', async () => {
    const acl = await webAcl('shop');
    expect(acl.ARN).toBe(`arn:aws:wafv2:eu-west-1:000000000000:regional/webacl/shop/${acl.Id}`);
    const got = await waf.send(new GetWebACLCommand({ Name: 'shop', Scope: 'REGIONAL', Id: acl.Id }));
    expect(got.WebACL).toMatchObject({ Name: 'shop', ARN: acl.ARN, DefaultAction: { Allow: {} } });
    expect(got.LockToken).toBe(acl.LockToken);
    const listed = await waf.send(new ListWebACLsCommand({ Scope: 'REGIONAL' }));
    expect(listed.WebACLs?.map((a) => a.Name)).toContain('shop');
    await expect(webAcl('shop')).rejects.toBeInstanceOf(WAFDuplicateItemException);
  });

  it('Associate, GetWebACLForResource, Disassociate on an ALB; a second association replaces the first', async () => {
    const alb = await loadBalancer();
    const first = await webAcl('first');
    const second = await webAcl('second');
    expect((await waf.send(new GetWebACLForResourceCommand({ ResourceArn: alb }))).WebACL).toBeUndefined();
    await waf.send(new AssociateWebACLCommand({ WebACLArn: first.ARN, ResourceArn: alb }));
    expect((await waf.send(new GetWebACLForResourceCommand({ ResourceArn: alb }))).WebACL?.ARN).toBe(
      first.ARN,
    );
    await waf.send(new AssociateWebACLCommand({ WebACLArn: second.ARN, ResourceArn: alb }));
    expect((await waf.send(new GetWebACLForResourceCommand({ ResourceArn: alb }))).WebACL?.ARN).toBe(
      second.ARN,
    );
    const resources = await waf.send(new ListResourcesForWebACLCommand({ WebACLArn: second.ARN }));
    expect(resources.ResourceArns).toEqual([alb]);
    // a web ACL in use cannot be deleted (WAFAssociatedItemException)
    const inUse = await rejection(
      waf.send(
        new DeleteWebACLCommand({
          Name: 'second',
          Scope: 'REGIONAL',
          Id: second.Id,
          LockToken: second.LockToken,
        }),
      ),
    );
    expect(inUse).toBeInstanceOf(WAFAssociatedItemException);
    await waf.send(new DisassociateWebACLCommand({ ResourceArn: alb }));
    expect((await waf.send(new GetWebACLForResourceCommand({ ResourceArn: alb }))).WebACL).toBeUndefined();
    expect(local.aws.services.wafv2.webAclFor(alb)).toBeUndefined();
  });

  it('a load balancer deleted from ELBv2 loses its association', async () => {
    const alb = await loadBalancer();
    const acl = await webAcl('ephemeral');
    await waf.send(new AssociateWebACLCommand({ WebACLArn: acl.ARN, ResourceArn: alb }));
    await elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: alb }));
    expect((await waf.send(new ListResourcesForWebACLCommand({ WebACLArn: acl.ARN }))).ResourceArns).toEqual(
      [],
    );
  });

  it.each([
    { name: 'a malformed ARN', resource: 'not-an-arn', error: WAFInvalidParameterException },
    { name: 'an NLB (WAF protects ALBs only)', resource: 'nlb', error: WAFInvalidParameterException },
    { name: 'an ALB that does not exist', resource: MISSING_ALB, error: WAFNonexistentItemException },
  ])('GetWebACLForResource and AssociateWebACL refuse $name', async ({ resource, error }) => {
    const arn = resource === 'nlb' ? await loadBalancer('network') : resource;
    const acl = await webAcl(`refuse-${lbSeq}-${resource.length}`);
    await expect(waf.send(new GetWebACLForResourceCommand({ ResourceArn: arn }))).rejects.toBeInstanceOf(
      error,
    );
    await expect(
      waf.send(new AssociateWebACLCommand({ WebACLArn: acl.ARN, ResourceArn: arn })),
    ).rejects.toBeInstanceOf(error);
  });

  it('an unknown web ACL is WAFNonexistentItemException', async () => {
    const alb = await loadBalancer();
    const error = await rejection(
      waf.send(
        new AssociateWebACLCommand({
          WebACLArn:
            'arn:aws:wafv2:eu-west-1:000000000000:regional/webacl/none/00000000-0000-0000-0000-000000000000',
          ResourceArn: alb,
        }),
      ),
    );
    expect(error).toBeInstanceOf(WAFNonexistentItemException);
  });
});

describe('local Shield', () => {
  it('protection lifecycle: create, describe by id and by resource, list, delete', async () => {
    const alb = await loadBalancer();
    expect((await shield.send(new GetSubscriptionStateCommand({}))).SubscriptionState).toBe('ACTIVE');
    const { ProtectionId } = await shield.send(
      new CreateProtectionCommand({ Name: 'shop', ResourceArn: alb }),
    );
    const byId = await shield.send(new DescribeProtectionCommand({ ProtectionId }));
    expect(byId.Protection).toMatchObject({
      Id: ProtectionId,
      Name: 'shop',
      ResourceArn: alb,
      ProtectionArn: `arn:aws:shield::000000000000:protection/${ProtectionId}`,
    });
    const byResource = await shield.send(new DescribeProtectionCommand({ ResourceArn: alb }));
    expect(byResource.Protection?.Id).toBe(ProtectionId);
    // one protection per resource: ResourceAlreadyExistsException
    await expect(
      shield.send(new CreateProtectionCommand({ Name: 'again', ResourceArn: alb })),
    ).rejects.toBeInstanceOf(ResourceAlreadyExistsException);
    const listed = await shield.send(new ListProtectionsCommand({}));
    expect(listed.Protections?.map((p) => p.Id)).toContain(ProtectionId);
    await shield.send(new DeleteProtectionCommand({ ProtectionId }));
    await expect(shield.send(new DescribeProtectionCommand({ ProtectionId }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await expect(shield.send(new DeleteProtectionCommand({ ProtectionId }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it.each([
    { name: 'a malformed ARN', resource: 'arn:aws:s3:::bucket' },
    { name: 'a load balancer that does not exist', resource: MISSING_ALB },
  ])('CreateProtection on $name is InvalidResourceException', async ({ resource }) => {
    await expect(
      shield.send(new CreateProtectionCommand({ Name: 'x', ResourceArn: resource })),
    ).rejects.toBeInstanceOf(InvalidResourceException);
  });

  it('without a subscription (set INACTIVE) CreateProtection fails and GetSubscriptionState says so', async () => {
    const alb = await loadBalancer();
    local.aws.services.shield.setSubscriptionState('INACTIVE');
    try {
      expect((await shield.send(new GetSubscriptionStateCommand({}))).SubscriptionState).toBe('INACTIVE');
      await expect(
        shield.send(new CreateProtectionCommand({ Name: 'x', ResourceArn: alb })),
      ).rejects.toBeInstanceOf(ResourceNotFoundException);
    } finally {
      local.aws.services.shield.setSubscriptionState('ACTIVE');
    }
  });
});
