/**
 * `slbc`: the command line (docs/cli.md). `npm start` runs `slbc local`; `npx slbc` runs this
 * through bin/slbc.mjs. Every failure ends as one readable line on stderr and an exit code
 * (./errors.ts); `--debug` adds the stack trace.
 */
import { readFileSync } from 'node:fs';
import { type Invocation, parseInvocation, USAGE } from './args.js';
import { describeFailure, renderFailure } from './errors.js';

// Node 20 draws a support warning from the AWS SDK on every run; it says nothing about slbc
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const text = typeof warning === 'string' ? warning : warning.message;
  const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
  if (type === 'NodeVersionSupportWarning' || text.includes('NodeVersionSupportWarning')) return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

export function slbcVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version?: string;
  };
  return manifest.version ?? 'unknown';
}

async function run(invocation: Invocation): Promise<number> {
  const { command, output } = invocation;
  switch (command.name) {
    case 'help':
      console.log(USAGE[command.topic ?? 'slbc'] ?? USAGE['slbc']);
      return 0;
    case 'version':
      console.log(
        output === 'json' ? JSON.stringify({ slbc: slbcVersion(), node: process.version }) : slbcVersion(),
      );
      return 0;
    case 'local': {
      const { runLocal } = await import('./local.js');
      return runLocal(command);
    }
    case 'local-run': {
      const { runScenarioFile } = await import('../local/scenario/index.js');
      const code = await runScenarioFile(command.scenario, command.report);
      if (output === 'json')
        console.log(
          JSON.stringify({ scenario: command.scenario, report: command.report, converged: code === 0 }),
        );
      return code;
    }
    case 'replay': {
      const { runReplay } = await import('./replay.js');
      return runReplay(command, undefined, output);
    }
    case 'status': {
      const { runStatus } = await import('./status-command.js');
      return runStatus(command, output);
    }
    case 'plan': {
      const { runPlan } = await import('./plan.js');
      return runPlan(command, output);
    }
    case 'explain': {
      const { runExplain } = await import('./explain.js');
      return runExplain(command, output);
    }
  }
}

async function main(argv: string[]): Promise<number> {
  let invocation: Invocation | undefined;
  try {
    invocation = parseInvocation(argv, process.env);
    return await run(invocation);
  } catch (error) {
    const debug = invocation?.debug ?? argv.includes('--debug');
    const output = invocation?.output ?? (wantsJson(argv) ? 'json' : 'text');
    const failure = describeFailure(error, { debug });
    console.error(renderFailure(failure, output));
    return failure.exitCode;
  }
}

/** --output json on a line that did not parse: the error still comes as JSON */
function wantsJson(argv: readonly string[]): boolean {
  return argv.some(
    (arg, index) =>
      arg === '--output=json' || ((arg === '--output' || arg === '-o') && argv[index + 1] === 'json'),
  );
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  // in-process timers (schedules, keep-alive sockets) must not hold a finished command open
  setTimeout(() => process.exit(code), 100).unref();
});
