import type { Elbv2Stacks } from '../../aws/elbv2-stacks.js';
import type { LoadBalancerAddons } from '../../aws/lb-addons.js';
import type { StackBuild } from '../../model/stack.js';
import { RESOURCE_IDS, RESOURCE_TYPES } from '../../model/stack.js';
import type { ActualStack } from '../../plan/stack-actual.js';

/**
 * What the plan compares only when the model asks for it, read after the model is built so a
 * stack without listener attributes, web ACL or Shield costs no extra call: the attributes of
 * listeners whose model sets some, the kept load balancer's web ACL and Shield protection, and the
 * Shield subscription. Without the add-ons port the fields stay unread, and the plan refuses to
 * guess (a plan error names them).
 */
export interface AddonReadPorts {
  elbv2: Partial<Pick<Elbv2Stacks, 'listenerAttributes'>>;
  addons?: LoadBalancerAddons;
}

export async function readAddonState(
  ports: AddonReadPorts,
  build: StackBuild,
  actual: ActualStack,
  resourceTag: string,
): Promise<{ shieldSubscribed?: boolean }> {
  const spec = build.stack.resources[RESOURCE_TYPES.loadBalancer][RESOURCE_IDS.loadBalancer]?.spec;
  if (!spec) return {};
  const lb = actual.loadBalancers.find(
    (candidate) =>
      candidate.tags[resourceTag] === RESOURCE_IDS.loadBalancer &&
      candidate.type === spec.type &&
      candidate.scheme === spec.scheme,
  );
  if (lb) {
    const withAttributes = new Set(
      Object.values(build.stack.resources[RESOURCE_TYPES.listener])
        .filter((listener) => (listener.spec.listenerAttributes ?? []).length > 0)
        .map((listener) => listener.spec.port),
    );
    const read = ports.elbv2.listenerAttributes;
    for (const listener of actual.listeners) {
      if (listener.loadBalancerArn === lb.arn && withAttributes.has(listener.port) && read)
        listener.attributes = await read(listener.arn);
    }
    if (spec.wafv2AclArn !== undefined && ports.addons) lb.webAclArn = await ports.addons.webAclFor(lb.arn);
    if (spec.shieldAdvancedProtection !== undefined && ports.addons)
      lb.shieldProtection = await ports.addons.protectionFor(lb.arn);
  }
  if (spec.shieldAdvancedProtection === true && ports.addons)
    return { shieldSubscribed: await ports.addons.shieldSubscribed() };
  return {};
}
