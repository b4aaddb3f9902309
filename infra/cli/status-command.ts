/** `slbc status`: the CLI side of ./status.ts. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { clientConfig } from '../../shared/aws/clients.js';
import { readWiring } from '../deploy/wiring.js';
import type { Command } from './args.js';
import { renderTopology } from './printer.js';
import { collectStatus, renderErrors } from './status.js';

type StatusCommand = Extract<Command, { name: 'status' }>;

export async function runStatus(
  command: StatusCommand,
  out = (line: string) => console.log(line),
): Promise<number> {
  const config = clientConfig({
    region: command.region ?? process.env['AWS_REGION'] ?? 'eu-west-1',
    ...(command.endpoint ? { endpoint: command.endpoint } : {}),
  });
  const elbv2 = new ElasticLoadBalancingV2Client(config);
  const dynamodb = new DynamoDBClient(config);
  try {
    const report = await collectStatus(
      { elbv2, dynamodb },
      {
        tableName: command.table ?? readWiring({ stage: command.stage }).tableName,
        ...(command.cluster ? { cluster: command.cluster } : {}),
      },
    );
    out(renderTopology(report.topology));
    out('');
    for (const line of renderErrors(report.errors)) out(line);
    return 0;
  } finally {
    elbv2.destroy();
    dynamodb.destroy();
  }
}
