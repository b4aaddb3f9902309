/**
 * `slbc`: the command line (docs/cli.md). `npm start` runs `slbc local`.
 */
import { parseCommand, USAGE, UsageError } from './args.js';

// Node 20 draws a support warning from the AWS SDK on every run; it says nothing about slbc
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const text = typeof warning === 'string' ? warning : warning.message;
  const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
  if (type === 'NodeVersionSupportWarning' || text.includes('NodeVersionSupportWarning')) return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

async function main(argv: string[]): Promise<number> {
  let command: ReturnType<typeof parseCommand>;
  try {
    command = parseCommand(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(error.message);
    return 2;
  }
  switch (command.name) {
    case 'help':
      console.log(USAGE[command.topic ?? 'slbc'] ?? USAGE['slbc']);
      return 0;
    case 'local': {
      const { runLocal } = await import('./local.js');
      return runLocal(command);
    }
    case 'local-run': {
      const { runScenarioFile } = await import('../local/scenario/index.js');
      return runScenarioFile(command.scenario, command.report);
    }
    case 'replay': {
      const { runReplay } = await import('./replay.js');
      return runReplay(command);
    }
    case 'status': {
      const { runStatus } = await import('./status-command.js');
      return runStatus(command);
    }
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // in-process timers (schedules, keep-alive sockets) must not hold a finished command open
    setTimeout(() => process.exit(code), 100).unref();
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
