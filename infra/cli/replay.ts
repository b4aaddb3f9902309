/**
 * `slbc replay --from T --to T`: StartReplay of the bus archive onto the bus, with a progress
 * bar until DescribeReplay says COMPLETED or FAILED. Names are serverless.yml's for the stage
 * unless given; --endpoint or AWS_ENDPOINT_URL points at the local endpoint, otherwise AWS.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { replayArchive } from '../../shared/aws/eventbridge-replay.js';
import { readWiring } from '../deploy/wiring.js';
import type { Command, OutputFormat } from './args.js';
import { describeTarget, sdkConfig } from './aws-config.js';
import { progressBar } from './printer.js';

type ReplayCommand = Extract<Command, { name: 'replay' }>;

export async function runReplay(
  command: ReplayCommand,
  out = (text: string) => process.stdout.write(text),
  output: OutputFormat = 'text',
): Promise<number> {
  const wiring = command.stage === undefined ? undefined : readWiring({ stage: command.stage });
  const busName = command.bus ?? wiring?.busName ?? '';
  const archiveName = command.archive ?? wiring?.archive.name ?? '';
  const text = output === 'text';
  const events = new EventBridgeClient(sdkConfig(command));
  try {
    if (text)
      out(
        `replaying ${archiveName} onto ${busName}, ${command.from.toISOString()} .. ${command.to.toISOString()}` +
          ` (${command.stage === undefined ? 'names given' : `stage ${command.stage} from ${command.source}`}, ${describeTarget(command, process.env)})\n`,
      );
    const interactive = text && process.stdout.isTTY === true;
    let lastState = '';
    const outcome = await replayArchive(events, {
      busName,
      archiveName,
      from: command.from,
      to: command.to,
      onProgress(fraction, state) {
        if (!text) return;
        if (interactive) out(`\r${progressBar(fraction)} ${state}   `);
        else if (state !== lastState) out(`${progressBar(fraction)} ${state}\n`);
        lastState = state;
      },
    });
    if (interactive) out('\n');
    if (text)
      out(`replay ${outcome.name}: ${outcome.state}${outcome.reason ? ` (${outcome.reason})` : ''}\n`);
    else
      out(
        `${JSON.stringify({ replay: outcome.name, state: outcome.state, bus: busName, archive: archiveName, ...(outcome.reason ? { reason: outcome.reason } : {}) })}\n`,
      );
    return outcome.state === 'COMPLETED' ? 0 : 1;
  } finally {
    events.destroy();
  }
}
