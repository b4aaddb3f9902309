import { randomUUID } from 'node:crypto';
import { createElbv2Targets } from '../../shared/aws/elbv2-targets.js';
import { dynamodbClient } from '../../shared/aws/sdk/dynamodb.js';
import { ec2Client } from '../../shared/aws/sdk/ec2.js';
import { elbv2Client } from '../../shared/aws/sdk/elbv2.js';
import { loadConfig } from '../../shared/config.js';
import { logger, metrics } from '../../shared/observability.js';
import { type TargetsDeps, targetsSettling } from '../../shared/reconcile/targets/ports.js';
import { openState } from '../../shared/state/index.js';

/** The targets function's production wiring: SDK clients, configuration from the environment. */
export function defaultDeps(): TargetsDeps {
  const config = loadConfig();
  return {
    state: openState(dynamodbClient(), config.tableName, { historyDays: config.historyDays }),
    elbv2: createElbv2Targets({ elbv2: elbv2Client(), ec2: ec2Client() }),
    config,
    now: Date.now,
    newOwner: randomUUID,
    ...targetsSettling(process.env),
    logger,
    metrics,
    targetGroupCache: new Map(),
  };
}
