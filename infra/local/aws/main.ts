/**
 * `npm run aws:local -- [--port 4566] [--data DIR] [--topology FILE] [--time-scale N]`
 *
 * Serves the local AWS endpoint on 127.0.0.1 until Ctrl-C, and prints what to export so the
 * AWS CLI, the SDK and slbc's functions reach it.
 */
import { parseArgs } from 'node:util';
import { scaledClock } from './context.js';
import { startLocalAws } from './server.js';
import { loadTopology } from './topology.js';

const USAGE = 'usage: npm run aws:local -- [--port 4566] [--data DIR] [--topology FILE] [--time-scale N]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4566' },
      data: { type: 'string' },
      topology: { type: 'string' },
      'time-scale': { type: 'string', default: '1' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port ${values.port} is not a port number`);
  const scale = Number(values['time-scale']);
  if (!(scale > 0)) throw new Error(`--time-scale ${values['time-scale']} must be a positive number`);

  const aws = await startLocalAws({
    port,
    host: '127.0.0.1',
    clock: scaledClock(scale),
    ...(values.topology === undefined ? {} : { topology: loadTopology(values.topology) }),
    ...(values.data === undefined ? {} : { dataDir: values.data }),
  });
  console.log(`local AWS endpoint on ${aws.url} (ELBv2, EC2, EventBridge, DynamoDB, STS, EKS)`);
  console.log(`DynamoDB tables ${values.data === undefined ? 'in memory' : `persist in ${values.data}`}`);
  console.log(`inspect: ${aws.url}/_local/health, /_local/counters, /_local/state, /_local/faults`);
  console.log(
    `export AWS_ENDPOINT_URL=${aws.url} AWS_REGION=${aws.region} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test`,
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping`);
    aws.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('stopping failed:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  console.error(USAGE);
  process.exit(1);
});
