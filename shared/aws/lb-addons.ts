import {
  CreateProtectionCommand,
  DeleteProtectionCommand,
  DescribeProtectionCommand,
  GetSubscriptionStateCommand,
  type ShieldClient,
} from '@aws-sdk/client-shield';
import {
  AssociateWebACLCommand,
  DisassociateWebACLCommand,
  GetWebACLForResourceCommand,
  type WAFV2Client,
} from '@aws-sdk/client-wafv2';
import { NotFoundError } from '../errors.js';
import type { AddonChange, ApplyResult } from './elbv2-stacks-apply/applier.js';
import { ignoreNotFound, type StackCall, stackCall } from './elbv2-stacks-errors.js';

/**
 * The load balancer add-ons port of the stacks function: the WAFv2 web ACL association and the
 * Shield Advanced protection (the LBC's wafv2 and shield synthesizers). Read only for load
 * balancers whose model asks for them, so a stack without add-ons costs no call here.
 */
export interface LoadBalancerAddons {
  /** the associated web ACL's ARN, '' for none (GetWebACLForResource) */
  webAclFor(loadBalancerArn: string): Promise<string>;
  /** DescribeProtection; null for none */
  protectionFor(loadBalancerArn: string): Promise<{ id: string; name: string } | null>;
  /** GetSubscriptionState is ACTIVE; read once per process, as the LBC caches it */
  shieldSubscribed(): Promise<boolean>;
  apply(change: AddonChange): Promise<ApplyResult>;
}

/** WAFv2 names its missing items this way (no `NotFound` suffix); a gone association is done. */
async function ignoreWafNonexistent(promise: Promise<unknown>): Promise<void> {
  try {
    await ignoreNotFound(promise);
  } catch (error) {
    if (!/WAFNonexistentItem/.test((error as Error).message)) throw error;
  }
}

export function createLoadBalancerAddons(
  clients: { wafv2: WAFV2Client; shield: ShieldClient },
  call: StackCall = stackCall,
): LoadBalancerAddons {
  const { wafv2, shield } = clients;
  let subscribed: Promise<boolean> | undefined;
  return {
    async webAclFor(arn) {
      const result = await call('GetWebACLForResource', arn, () =>
        wafv2.send(new GetWebACLForResourceCommand({ ResourceArn: arn })),
      );
      return result.WebACL?.ARN ?? '';
    },

    async protectionFor(arn) {
      try {
        const result = await call('DescribeProtection', arn, () =>
          shield.send(new DescribeProtectionCommand({ ResourceArn: arn })),
        );
        const protection = result.Protection;
        return protection?.Id ? { id: protection.Id, name: protection.Name ?? '' } : null;
      } catch (error) {
        if (error instanceof NotFoundError) return null;
        throw error;
      }
    },

    shieldSubscribed() {
      subscribed ??= call('GetSubscriptionState', 'account', () =>
        shield.send(new GetSubscriptionStateCommand({})),
      ).then(
        (result) => result.SubscriptionState === 'ACTIVE',
        (error: unknown) => {
          subscribed = undefined; // a failed read is not cached
          throw error;
        },
      );
      return subscribed;
    },

    async apply(change) {
      switch (change.op) {
        case 'associateWebAcl':
          await call('AssociateWebACL', String(change.loadBalancerArn), () =>
            wafv2.send(
              new AssociateWebACLCommand({
                ResourceArn: String(change.loadBalancerArn),
                WebACLArn: change.webAclArn,
              }),
            ),
          );
          return {};
        case 'disassociateWebAcl':
          await ignoreWafNonexistent(
            call('DisassociateWebACL', change.loadBalancerArn, () =>
              wafv2.send(new DisassociateWebACLCommand({ ResourceArn: change.loadBalancerArn })),
            ),
          );
          return {};
        case 'createShieldProtection': {
          const result = await call('CreateProtection', String(change.loadBalancerArn), () =>
            shield.send(
              new CreateProtectionCommand({ ResourceArn: String(change.loadBalancerArn), Name: change.name }),
            ),
          );
          return { arn: result.ProtectionId ?? '' };
        }
        case 'deleteShieldProtection':
          await ignoreNotFound(
            call('DeleteProtection', change.protectionId, () =>
              shield.send(new DeleteProtectionCommand({ ProtectionId: change.protectionId })),
            ),
          );
          return {};
      }
    },
  };
}
