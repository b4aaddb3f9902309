import type { Service } from '../../k8s/objects.js';
import { SERVICE_PREFIX } from '../annotations/parse.js';
import type { ModelEnvironment } from '../inputs.js';
import { NLB_LOAD_BALANCER_CLASS } from '../inputs.js';

/**
 * Which LoadBalancer Services slbc turns into NLBs. `all` claims every one without a foreign
 * loadBalancerClass (the effect of the LBC's defaulting webhook); `annotated` only those that ask.
 */

export const serviceKey = (suffix: string) => `${SERVICE_PREFIX}/${suffix}`;
const LOAD_BALANCER_TYPE = serviceKey('aws-load-balancer-type');
const ASKING_TYPES = new Set(['external', 'nlb', 'nlb-ip']);

export function isClaimedService(
  service: Service,
  config: Pick<ModelEnvironment['config'], 'serviceClaim'>,
): boolean {
  if (service.metadata.deletionTimestamp) return false;
  if (service.spec.type !== 'LoadBalancer') return false;
  const loadBalancerClass = service.spec.loadBalancerClass;
  if (loadBalancerClass !== undefined) return loadBalancerClass === NLB_LOAD_BALANCER_CLASS;
  if (config.serviceClaim === 'all') return true;
  return ASKING_TYPES.has(service.metadata.annotations?.[LOAD_BALANCER_TYPE] ?? '');
}
