import {
  DeregisterTargetsCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  type ElasticLoadBalancingV2Client,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { InvalidInputError, NotFoundError, RetryableError, SlbcError } from '../errors.js';
import { TAG_KEYS } from '../model/tags.js';
import type { ActualTarget, TargetDescription } from '../plan/targets.js';

/**
 * The narrow port over ELBv2 that target registration needs: only these calls,
 * pagination folded in, SDK errors translated into our types. The SDK client's adaptive retry
 * has already retried throttling and 5xx by the time an error reaches here.
 */
export interface TargetGroupInfo {
  arn: string;
  vpcId?: string;
  targetType?: string;
  /** the value of the `elbv2.k8s.aws/cluster` tag, if any */
  clusterTag?: string;
  /** HealthCheckIntervalSeconds: how soon a re-check of a not-yet-healthy target is worth it */
  healthCheckIntervalSeconds?: number;
}

export interface Elbv2Targets {
  describeTargetGroup(targetGroupArn: string): Promise<TargetGroupInfo>;
  /**
   * DescribeTargetHealth; with `only`, just those targets (Targets=[{Id, Port}]), as the LBC
   * reads the health of targets not yet healthy. A target given but not registered comes back
   * `unused` / Target.NotRegistered.
   */
  describeTargets(
    targetGroupArn: string,
    only?: readonly { id: string; port: number }[],
  ): Promise<ActualTarget[]>;
  /** one call: the caller chunks */
  registerTargets(targetGroupArn: string, targets: TargetDescription[]): Promise<void>;
  deregisterTargets(targetGroupArn: string, targets: TargetDescription[]): Promise<void>;
}

const RETRYABLE_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'RequestLimitExceeded',
  'HealthUnavailable',
  'ServiceUnavailable',
  'InternalFailure',
]);

export function translateElbv2Error(error: unknown, action: string, targetGroupArn: string): SlbcError {
  if (error instanceof SlbcError) return error;
  const name = (error as { name?: string }).name ?? 'Error';
  const code = name.replace(/Exception$/, '');
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const message =
    `${action} on target group ${targetGroupArn}: ${code}: ${(error as Error).message ?? ''}`.trim();
  const subject = { kind: 'TargetGroup', name: targetGroupArn };
  if (code === 'TargetGroupNotFound') return new NotFoundError(message, { cause: error, subject });
  if (RETRYABLE_CODES.has(name) || RETRYABLE_CODES.has(code) || status === undefined || status >= 500) {
    return new RetryableError(message, { cause: error, subject });
  }
  // InvalidTarget, TooManyTargets, TooManyRegistrationsForTargetId, ValidationError: the input, not the moment
  return new InvalidInputError(message, { cause: error, subject });
}

export function createElbv2Targets(
  // the VPC's CIDRs come with the binding (stacks reads them): targets needs no EC2 client
  clients: { elbv2: ElasticLoadBalancingV2Client },
): Elbv2Targets {
  const call = async <T>(action: string, targetGroupArn: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw translateElbv2Error(error, action, targetGroupArn);
    }
  };
  return {
    async describeTargetGroup(targetGroupArn) {
      const groups = await call('DescribeTargetGroups', targetGroupArn, () =>
        clients.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [targetGroupArn] })),
      );
      const group = groups.TargetGroups?.[0];
      if (group === undefined) {
        throw new NotFoundError(`target group ${targetGroupArn} not found`, {
          subject: { kind: 'TargetGroup', name: targetGroupArn },
        });
      }
      const tags = await call('DescribeTags', targetGroupArn, () =>
        clients.elbv2.send(new DescribeTagsCommand({ ResourceArns: [targetGroupArn] })),
      );
      const clusterTag = tags.TagDescriptions?.[0]?.Tags?.find((tag) => tag.Key === TAG_KEYS.cluster)?.Value;
      return {
        arn: targetGroupArn,
        ...(group.VpcId === undefined ? {} : { vpcId: group.VpcId }),
        ...(group.TargetType === undefined ? {} : { targetType: group.TargetType }),
        ...(clusterTag === undefined ? {} : { clusterTag }),
        ...(group.HealthCheckIntervalSeconds === undefined
          ? {}
          : { healthCheckIntervalSeconds: group.HealthCheckIntervalSeconds }),
      };
    },

    async describeTargets(targetGroupArn, only) {
      const result = await call('DescribeTargetHealth', targetGroupArn, () =>
        clients.elbv2.send(
          new DescribeTargetHealthCommand({
            TargetGroupArn: targetGroupArn,
            ...(only === undefined ? {} : { Targets: only.map((t) => ({ Id: t.id, Port: t.port })) }),
          }),
        ),
      );
      return (result.TargetHealthDescriptions ?? []).flatMap((description) => {
        const id = description.Target?.Id;
        const port = description.Target?.Port;
        if (id === undefined || port === undefined) return [];
        const { State: state, Reason: reason, Description: text } = description.TargetHealth ?? {};
        return [
          {
            id,
            port,
            ...(state === undefined ? {} : { state }),
            ...(reason === undefined ? {} : { reason }),
            ...(text === undefined ? {} : { description: text }),
          },
        ];
      });
    },

    async registerTargets(targetGroupArn, targets) {
      if (targets.length === 0) return;
      await call('RegisterTargets', targetGroupArn, () =>
        clients.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: targetGroupArn, Targets: targets })),
      );
    },

    async deregisterTargets(targetGroupArn, targets) {
      if (targets.length === 0) return;
      await call('DeregisterTargets', targetGroupArn, () =>
        clients.elbv2.send(
          new DeregisterTargetsCommand({
            TargetGroupArn: targetGroupArn,
            Targets: targets.map(({ Id, Port }) => ({ Id, Port })),
          }),
        ),
      );
    },
  };
}
