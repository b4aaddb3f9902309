/** `slbc status`: the CLI side of ./status.ts. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { readWiring } from '../deploy/wiring.js';
import type { Command, OutputFormat } from './args.js';
import { describeTarget, sdkConfig } from './aws-config.js';
import { renderTopology } from './printer.js';
import { collectStatus, renderErrors } from './status.js';

type StatusCommand = Extract<Command, { name: 'status' }>;

/** the table to read and where its name came from */
export function statusTable(command: StatusCommand): { table: string; source: string } {
  if (command.table !== undefined) return { table: command.table, source: command.tableSource ?? '--table' };
  if (command.stage === undefined) throw new Error('status needs a stage or a table (args.ts checks this)');
  return {
    table: readWiring({ stage: command.stage }).tableName,
    source: `stage ${command.stage} from ${command.source ?? '--stage'}`,
  };
}

export async function runStatus(
  command: StatusCommand,
  output: OutputFormat = 'text',
  out = (line: string) => console.log(line),
  note = (line: string) => console.error(line),
): Promise<number> {
  const { table, source } = statusTable(command);
  if (output === 'text')
    note(`slbc status: table ${table} (${source}), ${describeTarget(command, process.env)}`);
  // a wrong endpoint or region should fail in seconds, not after minutes of backoff
  const config = sdkConfig(command, { maxAttempts: 2 });
  const elbv2 = new ElasticLoadBalancingV2Client(config);
  const dynamodb = new DynamoDBClient(config);
  try {
    const report = await collectStatus(
      { elbv2, dynamodb },
      { tableName: table, ...(command.cluster ? { cluster: command.cluster } : {}) },
    );
    if (output === 'json') {
      out(JSON.stringify({ table, ...report }));
      return 0;
    }
    out(renderTopology(report.topology));
    out('');
    for (const line of renderErrors(report.errors)) out(line);
    return 0;
  } finally {
    elbv2.destroy();
    dynamodb.destroy();
  }
}
