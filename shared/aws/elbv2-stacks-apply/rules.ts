import {
  CreateRuleCommand,
  DeleteRuleCommand,
  ModifyRuleCommand,
  SetRulePrioritiesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { str, tagsArray, toSdkActions, toSdkConditions } from '../elbv2-stacks-convert.js';
import { ignoreNotFound } from '../elbv2-stacks-errors.js';
import type { Appliers } from './applier.js';

/** Listener rules, in the create-before-delete order the plan gives them (shared/plan/rules.ts). */
export const ruleAppliers: Appliers<'setRulePriorities' | 'modifyRule' | 'createRule' | 'deleteRule'> = {
  async setRulePriorities(client, call, change) {
    await call('SetRulePriorities', change.listenerArn, () =>
      client.send(
        new SetRulePrioritiesCommand({
          RulePriorities: change.priorities.map((p) => ({ RuleArn: p.ruleArn, Priority: p.priority })),
        }),
      ),
    );
    return {};
  },

  async modifyRule(client, call, change, credentials) {
    await call('ModifyRule', change.arn, () =>
      client.send(
        new ModifyRuleCommand({
          RuleArn: change.arn,
          Actions: toSdkActions(change.actions, credentials),
          Conditions: toSdkConditions(change.conditions),
        }),
      ),
    );
    return {};
  },

  async createRule(client, call, change, credentials) {
    const s = change.spec;
    const listenerArn = str(change.listenerArn) ?? '';
    const result = await call('CreateRule', `${listenerArn} priority ${s.priority}`, () =>
      client.send(
        new CreateRuleCommand({
          ListenerArn: listenerArn,
          Priority: s.priority,
          Actions: toSdkActions(s.actions, credentials),
          Conditions: toSdkConditions(s.conditions),
          Tags: tagsArray(s.tags),
        }),
      ),
    );
    return { arn: result.Rules?.[0]?.RuleArn ?? '' };
  },

  async deleteRule(client, call, change) {
    await ignoreNotFound(
      call('DeleteRule', change.arn, () => client.send(new DeleteRuleCommand({ RuleArn: change.arn }))),
    );
    return {};
  },
};
