/**
 * Which resources WAFv2 and Shield may name locally: load balancers of the local ELBv2,
 * recognised by their ARN and looked up live (a deleted load balancer loses its web ACL
 * and its protection with it).
 */

/** what WAFv2 and Shield read from ELBv2 */
export interface LoadBalancerView {
  loadBalancerExists(arn: string): boolean;
}

const LOAD_BALANCER_ARN =
  /^arn:aws[\w-]*:elasticloadbalancing:([a-z0-9-]+):(\d{12}):loadbalancer\/(app|net|gwy)\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/;

export interface LoadBalancerArn {
  region: string;
  account: string;
  type: 'app' | 'net' | 'gwy';
}

/** The parts of an ELBv2 load balancer ARN; undefined when `arn` is not one. */
export function parseLoadBalancerArn(arn: string): LoadBalancerArn | undefined {
  const match = LOAD_BALANCER_ARN.exec(arn);
  if (match === null) return undefined;
  return { region: match[1]!, account: match[2]!, type: match[3] as LoadBalancerArn['type'] };
}
