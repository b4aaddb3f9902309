/**
 * The local endpoint's ELBv2 service (API version 2015-12-01, awsQuery). It keeps load
 * balancers, target groups, listeners, rules and tags in memory and enforces AWS's documented
 * rules and error codes (see docs/local-aws-elbv2.md). Besides the API it offers inspection
 * for the simulated cluster and tests: the routing probe, target listings with derived
 * health, a pluggable health probe and a JSON dump.
 */
import { AwsApiError } from '../api-error.js';
import type { ServiceContext } from '../context.js';
import type { Elbv2Deps, LocalService } from '../service.js';
import {
  describeLoadBalancerAttributes,
  describeTargetGroupAttributes,
  modifyLoadBalancerAttributes,
  modifyTargetGroupAttributes,
} from './attributes.js';
import { loadBalancerStateCode, settleAll, setWorldTiming, type WorldTiming } from './health.js';
import type { Input } from './input.js';
import { describeListenerAttributes, modifyListenerAttributes } from './listener-attributes.js';
import {
  createListener,
  deleteListener,
  describeListener,
  describeListeners,
  modifyListener,
} from './listeners.js';
import {
  createLoadBalancer,
  deleteLoadBalancer,
  describeLoadBalancers,
  setIpAddressType,
  setSecurityGroups,
  setSubnets,
} from './load-balancers.js';
import { type RouteRequest, type RouteResult, route } from './routing.js';
import {
  createRule,
  deleteRule,
  describeRule,
  describeRules,
  modifyRule,
  rulesOf,
  setRulePriorities,
} from './rules.js';
import { createState, type Elbv2State, getTargetGroup, type HealthProbe } from './state.js';
import { addTags, describeTags, removeTags, tagsOf } from './tags.js';
import {
  createTargetGroup,
  deleteTargetGroup,
  describeTargetGroup,
  describeTargetGroups,
  modifyTargetGroup,
} from './target-groups.js';
import { deregisterTargets, describeAllTargets, describeTargetHealth, registerTargets } from './targets.js';

export type { Elbv2Deps } from '../service.js';
export type { WorldTiming } from './health.js';
export type { RouteAction, RouteRequest, RouteResult } from './routing.js';
export { route, wildcardMatch } from './routing.js';
export type { Elbv2State, HealthProbe, TargetGroupRecord, TargetRecord } from './state.js';

type Handler = (state: Elbv2State, input: Input) => unknown;

const ACTIONS: Record<string, Handler> = {
  CreateLoadBalancer: createLoadBalancer,
  DescribeLoadBalancers: describeLoadBalancers,
  DeleteLoadBalancer: deleteLoadBalancer,
  SetSecurityGroups: setSecurityGroups,
  SetSubnets: setSubnets,
  SetIpAddressType: setIpAddressType,
  DescribeLoadBalancerAttributes: describeLoadBalancerAttributes,
  ModifyLoadBalancerAttributes: modifyLoadBalancerAttributes,
  CreateTargetGroup: createTargetGroup,
  DescribeTargetGroups: describeTargetGroups,
  ModifyTargetGroup: modifyTargetGroup,
  DeleteTargetGroup: deleteTargetGroup,
  DescribeTargetGroupAttributes: describeTargetGroupAttributes,
  ModifyTargetGroupAttributes: modifyTargetGroupAttributes,
  RegisterTargets: registerTargets,
  DeregisterTargets: deregisterTargets,
  DescribeTargetHealth: describeTargetHealth,
  CreateListener: createListener,
  DescribeListeners: describeListeners,
  ModifyListener: modifyListener,
  DescribeListenerAttributes: describeListenerAttributes,
  ModifyListenerAttributes: modifyListenerAttributes,
  DeleteListener: deleteListener,
  CreateRule: createRule,
  DescribeRules: describeRules,
  ModifyRule: modifyRule,
  DeleteRule: deleteRule,
  SetRulePriorities: setRulePriorities,
  AddTags: addTags,
  RemoveTags: removeTags,
  DescribeTags: describeTags,
};

/** one target of a group as the simulated cluster and tests see it */
export interface TargetView {
  id: string;
  port: number | undefined;
  availabilityZone: string | undefined;
  state: string;
  reason: string | undefined;
  description: string | undefined;
}

export interface Elbv2Service extends LocalService {
  /** which rule and action a request to a listener would get (see routing.ts) */
  route(request: RouteRequest): RouteResult;
  /** the group's registered and draining targets with their health as of now */
  listTargets(targetGroupArn: string): TargetView[];
  /** decides each health check from now on; targets are settled with the previous probe first */
  setHealthProbe(probe: HealthProbe): void;
  /** provisioning delay and health-check jitter from now on (default 0: exact); see health.ts */
  setWorldTiming(timing: Partial<WorldTiming>): WorldTiming;
  /** `provisioning` or `active`; undefined when no such load balancer exists */
  loadBalancerState(arn: string): 'provisioning' | 'active' | undefined;
  dump(): Elbv2Dump;
}

export interface Elbv2Dump {
  loadBalancers: unknown[];
  targetGroups: unknown[];
  listeners: unknown[];
}

function dump(state: Elbv2State): Elbv2Dump {
  return JSON.parse(
    JSON.stringify({
      loadBalancers: [...state.loadBalancers.values()].map((balancer) => ({
        ...describeLoadBalancers(state, { LoadBalancerArns: [balancer.arn] }).LoadBalancers[0],
        Attributes: Object.fromEntries(balancer.attributes),
        Tags: tagsOf(state, balancer.arn),
      })),
      targetGroups: [...state.targetGroups.values()].map((group) => ({
        ...describeTargetGroup(group),
        Attributes: Object.fromEntries(group.attributes),
        Tags: tagsOf(state, group.arn),
        Targets: describeAllTargets(state, group),
      })),
      listeners: [...state.listeners.values()].map((listener) => ({
        ...describeListener(state, listener),
        Tags: tagsOf(state, listener.arn),
        Rules: rulesOf(state, listener.arn).map((rule) => ({
          ...describeRule(rule),
          Tags: tagsOf(state, rule.arn),
        })),
      })),
    }),
  );
}

export function createElbv2Service(ctx: ServiceContext, deps: Elbv2Deps): Elbv2Service {
  const state = createState(ctx, deps);
  return {
    name: 'elbv2',
    handle(action, input) {
      const handler = ACTIONS[action];
      if (!handler)
        throw new AwsApiError('InvalidAction', `Could not find operation ${action} for version 2015-12-01`);
      return handler(state, input);
    },
    route: (request) => route(state, request),
    listTargets(targetGroupArn) {
      return describeAllTargets(state, getTargetGroup(state, targetGroupArn)).map((target) => ({
        id: target.Target.Id,
        port: target.Target.Port,
        availabilityZone: target.Target.AvailabilityZone,
        state: target.TargetHealth.State,
        reason: target.TargetHealth.Reason,
        description: target.TargetHealth.Description,
      }));
    },
    setHealthProbe(probe) {
      settleAll(state);
      state.probe = probe;
    },
    setWorldTiming: (timing) => setWorldTiming(state, timing),
    loadBalancerState(arn) {
      const balancer = state.loadBalancers.get(arn);
      return balancer && loadBalancerStateCode(state, balancer, state.ctx.clock.now());
    },
    dump: () => dump(state),
  };
}
