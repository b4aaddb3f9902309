import { isMutating } from './least-privilege.js';
import { ACCOUNT, evaluate, type Request, type RequestResource } from './policy-eval.js';
import { asList, type Statement } from './template.js';

/**
 * IAM as the second wall: proves, for a set of statements, that every ELBv2 mutation they
 * allow is denied against a load balancer (and its listeners, rules and target groups) that
 * does not carry one of our clusters' tag, and allowed against one that does.
 *
 * The authorisation model below says which resources AWS checks for each call, after the
 * Service Authorization Reference for Elastic Load Balancing V2: CreateListener against the
 * load balancer (and the new listener), CreateRule against the listener (and the new rule),
 * the other listener and rule calls against the listener or rule, AddTags/RemoveTags against
 * the resource they tag. Where AWS checks both the parent and the new resource, the model
 * asks for both, so a statement granting only one of them fails the proof.
 */

const ARN = `arn:${ACCOUNT.partition}:elasticloadbalancing:${ACCOUNT.region}:${ACCOUNT.accountId}`;
const CLUSTER_TAG = 'elbv2.k8s.aws/cluster';

/** ELBv2 writes IAM cannot scope to a resource (the reference lists no resource type). */
export const UNSCOPABLE_ELBV2_WRITES = new Set(['elasticloadbalancing:SetRulePriorities']);

export interface World {
  name: string;
  /** tags on the load balancer, its listener, rule and target group */
  tags: Record<string, string>;
  /** what slbc sends with its creates: always its own cluster tag */
  requestTags: Record<string, string>;
}

function resources(kind: 'app' | 'net', tags: Record<string, string>) {
  const lb = `loadbalancer/${kind}/k8s-shop-4f1e2a/50dc6c495c0c9188`;
  const listener = `listener/${kind}/k8s-shop-4f1e2a/50dc6c495c0c9188/f2f7dc8efc522ab2`;
  return {
    lb: { arn: `${ARN}:${lb}`, tags },
    listener: { arn: `${ARN}:${listener}`, tags },
    rule: {
      arn: `${ARN}:listener-rule/${kind}/k8s-shop-4f1e2a/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee`,
      tags,
    },
    tg: { arn: `${ARN}:targetgroup/k8s-shop-web-7a1c3e/73e2d6bc24d8a067`, tags },
    newLb: { arn: `${ARN}:${lb.replace('50dc6c495c0c9188', 'aaaaaaaaaaaaaaaa')}` },
    newTg: { arn: `${ARN}:targetgroup/k8s-shop-api-8b2d4f/bbbbbbbbbbbbbbbb` },
    newListener: { arn: `${ARN}:${listener.replace('f2f7dc8efc522ab2', 'cccccccccccccccc')}` },
    newRule: {
      arn: `${ARN}:listener-rule/${kind}/k8s-shop-4f1e2a/50dc6c495c0c9188/f2f7dc8efc522ab2/dddddddddddddddd`,
    },
  };
}

type Resources = ReturnType<typeof resources>;
const USER_TAG = { team: 'payments' };

/** The requests slbc makes for one action in one world; several when the action has variants. */
const MODEL: Record<string, (r: Resources, w: World) => Omit<Request, 'action'>[]> = {
  CreateLoadBalancer: (r, w) => [{ resources: [r.newLb], requestTags: w.requestTags }],
  CreateTargetGroup: (r, w) => [{ resources: [r.newTg], requestTags: w.requestTags }],
  CreateListener: (r, w) => [{ resources: [r.lb, r.newListener], requestTags: w.requestTags }],
  CreateRule: (r, w) => [{ resources: [r.listener, r.newRule], requestTags: w.requestTags }],
  ...Object.fromEntries(
    [
      'ModifyLoadBalancerAttributes',
      'SetIpAddressType',
      'SetSecurityGroups',
      'SetSubnets',
      'DeleteLoadBalancer',
      'SetWebAcl',
    ].map((action) => [action, (r: Resources) => [{ resources: [r.lb] }]]),
  ),
  ...Object.fromEntries(
    [
      'ModifyTargetGroup',
      'ModifyTargetGroupAttributes',
      'DeleteTargetGroup',
      'RegisterTargets',
      'DeregisterTargets',
    ].map((action) => [action, (r: Resources) => [{ resources: [r.tg] }]]),
  ),
  ...Object.fromEntries(
    [
      'ModifyListener',
      'ModifyListenerAttributes',
      'DeleteListener',
      'AddListenerCertificates',
      'RemoveListenerCertificates',
    ].map((action) => [action, (r: Resources) => [{ resources: [r.listener] }]]),
  ),
  ModifyRule: (r) => [{ resources: [r.rule] }],
  DeleteRule: (r) => [{ resources: [r.rule] }],
  // a user tag on each kind of existing resource (the `tags` annotation, or a missing stack tag)
  AddTags: (r) =>
    [r.lb, r.tg, r.listener, r.rule].map((resource) => ({ resources: [resource], requestTags: USER_TAG })),
  RemoveTags: (r) =>
    [r.lb, r.tg, r.listener, r.rule].map((resource) => ({ resources: [resource], tagKeys: ['team'] })),
};

const NEW_TOP_LEVEL = new Set(['CreateLoadBalancer', 'CreateTargetGroup']);

/** Creates that carry tags are also authorised as AddTags on the new resource. */
const TAG_ON_CREATE: Record<string, (r: Resources) => RequestResource> = {
  CreateLoadBalancer: (r) => r.newLb,
  CreateTargetGroup: (r) => r.newTg,
  CreateListener: (r) => r.newListener,
  CreateRule: (r) => r.newRule,
};

export const OURS: World = {
  name: 'tagged for our cluster',
  tags: { [CLUSTER_TAG]: 'demo' },
  requestTags: { [CLUSTER_TAG]: 'demo' },
};
export const FOREIGN_WORLDS: World[] = [
  { name: 'untagged', tags: {}, requestTags: { [CLUSTER_TAG]: 'demo' } },
  {
    name: 'tagged for another cluster',
    tags: { [CLUSTER_TAG]: 'other' },
    requestTags: { [CLUSTER_TAG]: 'demo' },
  },
];
/** creates without our tag in the request: the foreign case for a new load balancer or target group */
const UNTAGGED_CREATES: World = {
  name: 'untagged request',
  tags: { [CLUSTER_TAG]: 'demo' },
  requestTags: {},
};

/** ELBv2 mutating actions some statement allows, by name without the prefix. */
export function allowedElbv2Writes(statements: readonly Statement[]): string[] {
  const actions = statements
    .filter((s) => s.Effect === 'Allow')
    .flatMap((s) => asList(s.Action))
    .filter((action) => action.startsWith('elasticloadbalancing:') && isMutating(action));
  return [...new Set(actions)].sort();
}

const describe = (request: Request) =>
  `${request.action} on ${request.resources.map((r: RequestResource) => r.arn.split(':').pop()).join(' + ')}`;

/** One line per broken promise; empty when the wall holds. */
export function elbv2WallProblems(statements: readonly Statement[]): string[] {
  const problems: string[] = [];
  for (const action of allowedElbv2Writes(statements)) {
    const name = action.split(':')[1]!;
    if (UNSCOPABLE_ELBV2_WRITES.has(action)) continue;
    const model = MODEL[name];
    if (!model) {
      problems.push(`${action}: no authorisation model; add it to elbv2-wall.ts before granting it`);
      continue;
    }
    for (const kind of ['app', 'net'] as const) {
      for (const world of [...FOREIGN_WORLDS, UNTAGGED_CREATES]) {
        if (world === UNTAGGED_CREATES && !name.startsWith('Create')) continue;
        // a new load balancer or target group has no parent: only its request tags can be wrong
        if (world !== UNTAGGED_CREATES && NEW_TOP_LEVEL.has(name)) continue;
        for (const request of model(resources(kind, world.tags), world).map((r) => ({ action, ...r }))) {
          const decision = evaluate(statements, request);
          if (decision.allowed)
            problems.push(`${describe(request)} ${world.name}: allowed by ${decision.by.join(', ')}`);
        }
      }
      const ours = resources(kind, OURS.tags);
      const needed: Request[] = model(ours, OURS).map((r) => ({ action, ...r }));
      const created = TAG_ON_CREATE[name]?.(ours);
      if (created) {
        needed.push({
          action: 'elasticloadbalancing:AddTags',
          resources: [created],
          requestTags: OURS.requestTags,
          context: { 'elasticloadbalancing:CreateAction': name },
        });
      }
      for (const request of needed) {
        if (!evaluate(statements, request).allowed)
          problems.push(`${describe(request)} ${OURS.name}: denied`);
      }
    }
  }
  // the ownership key itself is never added to, nor removed from, an existing resource
  for (const kind of ['app', 'net'] as const) {
    for (const world of [...FOREIGN_WORLDS, OURS]) {
      const r = resources(kind, world.tags);
      for (const resource of [r.lb, r.tg, r.listener, r.rule]) {
        const tagging: Request[] = [
          {
            action: 'elasticloadbalancing:AddTags',
            resources: [resource],
            requestTags: { [CLUSTER_TAG]: 'demo' },
          },
          { action: 'elasticloadbalancing:RemoveTags', resources: [resource], tagKeys: [CLUSTER_TAG] },
        ];
        for (const request of tagging) {
          const decision = evaluate(statements, request);
          if (decision.allowed)
            problems.push(
              `${describe(request)} (the cluster key) ${world.name}: allowed by ${decision.by.join(', ')}`,
            );
        }
      }
    }
  }
  return problems;
}
