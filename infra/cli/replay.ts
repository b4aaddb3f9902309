/**
 * `slbc replay --from T --to T`: StartReplay of the bus archive onto the bus, with a progress
 * bar until DescribeReplay says COMPLETED or FAILED. Names default to serverless.yml's for the
 * stage; --endpoint or AWS_ENDPOINT_URL points at the local endpoint, otherwise AWS.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { clientConfig } from '../../shared/aws/clients.js';
import { readWiring } from '../deploy/wiring.js';
import { replayArchive } from '../local/runtime/replay.js';
import type { Command } from './args.js';
import { progressBar } from './printer.js';

type ReplayCommand = Extract<Command, { name: 'replay' }>;

export async function runReplay(
  command: ReplayCommand,
  out = (text: string) => process.stdout.write(text),
): Promise<number> {
  const wiring = readWiring({ stage: command.stage });
  const busName = command.bus ?? wiring.busName;
  const archiveName = command.archive ?? wiring.archive.name;
  const events = new EventBridgeClient(
    clientConfig({
      region: command.region ?? process.env['AWS_REGION'] ?? 'eu-west-1',
      ...(command.endpoint ? { endpoint: command.endpoint } : {}),
    }),
  );
  out(
    `replaying ${archiveName} onto ${busName}, ${command.from.toISOString()} .. ${command.to.toISOString()}\n`,
  );
  const interactive = process.stdout.isTTY === true;
  let lastState = '';
  const outcome = await replayArchive(events, {
    busName,
    archiveName,
    from: command.from,
    to: command.to,
    onProgress(fraction, state) {
      if (interactive) out(`\r${progressBar(fraction)} ${state}   `);
      else if (state !== lastState) out(`${progressBar(fraction)} ${state}\n`);
      lastState = state;
    },
  });
  if (interactive) out('\n');
  out(`replay ${outcome.name}: ${outcome.state}${outcome.reason ? ` (${outcome.reason})` : ''}\n`);
  events.destroy();
  return outcome.state === 'COMPLETED' ? 0 : 1;
}
