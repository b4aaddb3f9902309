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
import type { Elbv2Deps, LocalService, Quotas } from './service.js';
import { createShieldService, type ShieldService } from './shield/index.js';
import { createSqsService, type SqsService } from './sqs/index.js';
import { createStsService, STS_VERSION, STS_XMLNS } from './sts/index.js';
import { createWafv2Service, type LoadBalancerView, type Wafv2Service } from './wafv2/index.js';

export interface LocalServices {
  ec2: Ec2Service;
  sts: LocalService;
  eks: EksService;
  elbv2: Elbv2Service;
  events: EventBridgeService;
  sqs: SqsService;
  wafv2: Wafv2Service;
  shield: ShieldService;
}

export interface JsonRoute {
  service: 'events' | 'sqs' | 'wafv2' | 'shield';
  protocol: Extract<Protocol, 'json' | 'json-1.0'>;
}

/** `X-Amz-Target` prefix -> service, for the JSON protocols (DynamoDB aside: dynalite answers it). */
export const JSON_SERVICES: Readonly<Record<string, JsonRoute>> = Object.freeze({
  AWSEvents: { service: 'events', protocol: 'json' },
  AmazonSQS: { service: 'sqs', protocol: 'json-1.0' },
  AWSWAF_20190729: { service: 'wafv2', protocol: 'json' },
  AWSShield_20160616: { service: 'shield', protocol: 'json' },
});

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
  elbv2Options: Pick<Elbv2Deps, 'resourceInUseLingerMs'> = {},
): LocalServices {
  const ec2 = createEc2Service(ctx, quotas);
  const elbv2 = createElbv2Service(ctx, { ec2: ec2.view(), quotas, ...elbv2Options });
  ec2.setSecurityGroupUsers((groupId) => {
    const balancers = elbv2.dump().loadBalancers as Array<{
      LoadBalancerArn?: string;
      SecurityGroups?: string[];
    }>;
    return balancers.find((balancer) => balancer.SecurityGroups?.includes(groupId))?.LoadBalancerArn;
  });
  // WAFv2 and Shield calls are rare: reading the dump keeps them off ELBv2's internals
  const loadBalancers: LoadBalancerView = {
    loadBalancerExists: (arn) =>
      (elbv2.dump().loadBalancers as Array<{ LoadBalancerArn?: string }>).some(
        (balancer) => balancer.LoadBalancerArn === arn,
      ),
  };
  return {
    ec2,
    elbv2,
    events: createEventBridgeService(ctx, eventBridge),
    sts: createStsService(ctx),
    eks: createEksService(ctx),
    sqs: createSqsService(ctx),
    wafv2: createWafv2Service(ctx, loadBalancers),
    shield: createShieldService(ctx, loadBalancers),
  };
}
