import type { LoadBalancerSpec, Ref } from '../../model/stack.js';
import type { ActualLoadBalancer } from '../stack-actual.js';
import type { Change, PlanError } from '../stack-changes.js';

/**
 * The load balancer's add-ons, as the LBC's WAFv2 and Shield synthesizers decide them: only what
 * the model sets is reconciled (an absent `wafv2AclArn` or `shieldAdvancedProtection` leaves AWS as
 * it is), and only when AWS differs. A new load balancer gets its web ACL right after its create,
 * before any listener exists, so it never serves a request the ACL should have filtered.
 */

/** The protection names the LBC writes (and so slbc, to adopt each other's): only these are deleted. */
export const SHIELD_PROTECTION_NAME = 'managed by aws-load-balancer-controller';
const MANAGED_PROTECTION_NAMES = new Set([SHIELD_PROTECTION_NAME, 'managed by aws-alb-ingress-controller']);

export interface AddonsInput {
  spec: Pick<LoadBalancerSpec, 'wafv2AclArn' | 'shieldAdvancedProtection'>;
  /** the kept load balancer, or none when this plan creates it */
  existing?: ActualLoadBalancer;
  /** the load balancer's ARN, or the Ref of the one this plan creates */
  loadBalancerArn: string | Ref;
  /** GetSubscriptionState is ACTIVE; undefined when not read */
  shieldSubscribed?: boolean;
}

export function planAddons(input: AddonsInput): { changes: Change[]; errors: PlanError[] } {
  const changes: Change[] = [];
  const errors: PlanError[] = [];
  const { spec, existing, loadBalancerArn } = input;

  const wantAcl = spec.wafv2AclArn;
  if (wantAcl !== undefined) {
    const haveAcl = existing ? existing.webAclArn : '';
    if (haveAcl === undefined) {
      errors.push({
        field: 'loadBalancer.wafv2AclArn',
        message: `the web ACL association of ${existing?.name} was not read: it cannot be reconciled`,
      });
    } else if (wantAcl === 'none') {
      if (haveAcl !== '' && existing)
        changes.push({ op: 'disassociateWebAcl', loadBalancerArn: existing.arn, webAclArn: haveAcl });
    } else if (wantAcl !== haveAcl) {
      changes.push({ op: 'associateWebAcl', loadBalancerArn, webAclArn: wantAcl });
    }
  }

  const wantShield = spec.shieldAdvancedProtection;
  if (wantShield !== undefined) {
    const have = existing ? existing.shieldProtection : null;
    if (have === undefined) {
      errors.push({
        field: 'loadBalancer.shieldAdvancedProtection',
        message: `the Shield protection of ${existing?.name} was not read: it cannot be reconciled`,
      });
    } else if (wantShield && have === null) {
      // the LBC skips Shield silently without an active subscription; asked for protection, slbc says so
      if (input.shieldSubscribed === true) {
        changes.push({ op: 'createShieldProtection', loadBalancerArn, name: SHIELD_PROTECTION_NAME });
      } else {
        errors.push({
          field: 'loadBalancer.shieldAdvancedProtection',
          message:
            input.shieldSubscribed === false
              ? 'shield-advanced-protection is true but the account has no active Shield Advanced subscription (GetSubscriptionState is not ACTIVE): the load balancer is not protected'
              : 'shield-advanced-protection is true but the Shield subscription state was not read: the load balancer is not protected',
        });
      }
    } else if (!wantShield && have !== null && existing && MANAGED_PROTECTION_NAMES.has(have.name)) {
      // a protection someone else named is theirs: left alone, as the LBC does
      changes.push({ op: 'deleteShieldProtection', loadBalancerArn: existing.arn, protectionId: have.id });
    }
  }
  return { changes, errors };
}
