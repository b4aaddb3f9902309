/**
 * `slbc plan` and `slbc explain` are registered (help, options, checks) but not built yet.
 * Whoever builds them replaces runNotYet's cases with the real commands; parsing is in
 * ./args.ts (Command 'plan' and 'explain') and their help in ./usage.ts.
 */
import type { Command, OutputFormat } from './args.js';
import { CliError } from './errors.js';

type Reserved = Extract<Command, { name: 'plan' | 'explain' }>;

export async function runNotYet(command: Reserved, _output: OutputFormat): Promise<number> {
  throw new CliError('NotImplemented', `slbc ${command.name} is not implemented yet`, 1);
}
