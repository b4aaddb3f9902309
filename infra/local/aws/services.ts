/**
 * Which services the endpoint runs and how query requests reach them. ELBv2 reads EC2's live
 * state (instances, subnets, security groups) through the EC2 service's view.
 */
import type { ServiceContext } from './context.js';
import { createEc2Service, type Ec2Service } from './ec2/index.js';
import { createEksService, type EksService } from './eks/index.js';
import { createElbv2Service, type Elbv2Service } from './elbv2/index.js';
import {
  createEventBridgeService,
  type EventBridgeOptions,
  type EventBridgeService,
} from './eventbridge/index.js';
import type { Protocol } from './protocol/respond.js';
import type { LocalService, Quotas } from './service.js';
import { createStsService, STS_VERSION, STS_XMLNS } from './sts/index.js';

export interface LocalServices {
  ec2: Ec2Service;
  sts: LocalService;
  eks: EksService;
  elbv2: Elbv2Service;
  events: EventBridgeService;
}

export interface QueryRoute {
  service: 'elbv2' | 'ec2' | 'sts';
  protocol: Extract<Protocol, 'query' | 'ec2'>;
  xmlns: string;
}

/** awsQuery `Version` -> service; each AWS query API has exactly one current version. */
export const QUERY_SERVICES: Readonly<Record<string, QueryRoute>> = Object.freeze({
  '2015-12-01': {
    service: 'elbv2',
    protocol: 'query',
    xmlns: 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/',
  },
  '2016-11-15': { service: 'ec2', protocol: 'ec2', xmlns: 'http://ec2.amazonaws.com/doc/2016-11-15/' },
  [STS_VERSION]: { service: 'sts', protocol: 'query', xmlns: STS_XMLNS },
});

export function createLocalServices(
  ctx: ServiceContext,
  quotas: Quotas,
  eventBridge: EventBridgeOptions = {},
): LocalServices {
  const ec2 = createEc2Service(ctx, quotas);
  const elbv2 = createElbv2Service(ctx, { ec2: ec2.view(), quotas });
  ec2.setSecurityGroupUsers((groupId) => {
    const balancers = elbv2.dump().loadBalancers as Array<{
      LoadBalancerArn?: string;
      SecurityGroups?: string[];
    }>;
    return balancers.find((balancer) => balancer.SecurityGroups?.includes(groupId))?.LoadBalancerArn;
  });
  return {
    ec2,
    elbv2,
    events: createEventBridgeService(ctx, eventBridge),
    sts: createStsService(ctx),
    eks: createEksService(ctx),
  };
}
