import type { ListenerRuleResource } from '../../model/stack.js';
import { RESOURCE_TYPES, ref } from '../../model/stack.js';
import { TAG_KEYS } from '../../model/tags.js';
import { type DesiredRule, planRules } from '../rules.js';
import type { ActualListener, ActualRule } from '../stack-actual.js';
import { type Change, resolveRefs } from '../stack-changes.js';
import { type Holds, withFillingGroups } from './filling-groups.js';
import { withKeptRules } from './kept-rules.js';
import type { KnownValues } from './scope.js';

/**
 * The rules of every listener, listener by listener in port order, synced create-before-delete
 * (rules.ts). Each rule is tagged with its member, so a later pass can keep the rules of a
 * member in error (kept-rules.ts). The rule quota is the load balancer's, shared by its listeners.
 */
export interface ListenerRulesInput {
  desired: Readonly<Record<string, ListenerRuleResource>>;
  /** the stack's listeners in port order, with the actual one on the same port */
  listeners: readonly { id: string; existing?: ActualListener }[];
  /** every actual listener of the kept load balancer (they all count against the quota) */
  actualListeners: readonly ActualListener[];
  actualRules: readonly ActualRule[];
  /** includes the existing listeners' ARNs */
  known: KnownValues;
  holds: Holds;
  /** `namespace/name` of the members in error */
  errorMembers: ReadonlySet<string>;
  ruleQuota: number;
  /** rules.ts RuleSyncInput.resendClientSecrets */
  resendClientSecrets?: boolean;
}

export interface ListenerRulesPlan {
  /** one entry per listener, in the order of `listeners` */
  changes: Change[][];
  /** ARNs of the actual rules kept for members in error */
  keptRules: string[];
}

export const memberKey = (member: { namespace: string; name: string }) =>
  `${member.namespace}/${member.name}`;

export function planListenerRules(input: ListenerRulesInput): ListenerRulesPlan {
  const rulesOf = (listener: ActualListener) =>
    input.actualRules.filter((rule) => rule.listenerArn === listener.arn);
  const inUse = input.actualListeners.reduce((sum, listener) => sum + rulesOf(listener).length, 0);
  const room = { left: input.ruleQuota - inUse };
  const plan: ListenerRulesPlan = { changes: [], keptRules: [] };
  for (const { id, existing } of input.listeners) {
    const listenerRef = ref(RESOURCE_TYPES.listener, id, 'listenerARN');
    const actual = existing ? rulesOf(existing) : [];
    const desired = withKeptRules(modelRules(input, id), actual, input.errorMembers, listenerRef);
    plan.keptRules.push(...desired.kept);
    plan.changes.push(
      planRules({
        listenerArn: existing?.arn ?? listenerRef,
        desired: desired.rules,
        actual,
        room,
        ...(input.resendClientSecrets ? { resendClientSecrets: true } : {}),
      }),
    );
  }
  return plan;
}

/** The model's rules of one listener (IDs `<listener>:<n>`), resolved, tagged, by priority. */
function modelRules(input: ListenerRulesInput, listenerId: string): DesiredRule[] {
  return Object.entries(input.desired)
    .filter(([ruleId]) => ruleId.split(':')[0] === listenerId)
    .map(([ruleId, rule]) => ({
      id: ruleId,
      spec: resolveRefs(
        {
          ...rule.spec,
          actions: withFillingGroups(rule.spec.actions, input.holds),
          tags: { ...rule.spec.tags, [TAG_KEYS.member]: memberKey(rule.source) },
        },
        input.known,
      ),
      source: rule.source,
    }))
    .sort((a, b) => a.spec.priority - b.spec.priority);
}
