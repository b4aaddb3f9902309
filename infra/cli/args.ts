/**
 * Command-line parsing for `slbc`, pure so it can be tested: node:util parseArgs per command,
 * with errors that name the flag. Usage errors exit 2, as most CLIs do. Global flags
 * (`--output`, `--debug`, `-h/--help`, `--version`) are taken from anywhere on the line.
 * The environment is an argument (not read here) so what is used, and from where, is testable.
 */
import { parseArgs } from 'node:util';
import { USAGE } from './usage.js';

export { USAGE } from './usage.js';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type OutputFormat = 'text' | 'json';

/** Where the AWS SDK is pointed; unset fields are left to the SDK's own chain. */
export interface AwsTarget {
  region?: string;
  profile?: string;
  endpoint?: string;
}

/** The serverless.yml stage and where it (or an explicit name) came from, to say what is used. */
export interface StageChoice {
  stage?: string;
  /** e.g. `--stage`, `SLBC_STAGE` */
  source?: string;
}

export type Command =
  | { name: 'help'; topic?: string }
  | { name: 'version' }
  | { name: 'local'; keep: boolean; timeScale?: number; seed?: number }
  | { name: 'local-run'; scenario: string; report: string }
  | ({
      name: 'replay';
      from: Date;
      to: Date;
      bus?: string;
      archive?: string;
    } & StageChoice &
      AwsTarget)
  | ({ name: 'status'; cluster?: string; table?: string; tableSource?: string } & StageChoice & AwsTarget)
  | ({ name: 'plan'; kubeconfig?: string; manifests?: string; cluster?: string } & StageChoice & AwsTarget)
  | ({
      name: 'explain';
      kind: 'ingress' | 'service' | 'target';
      object: string;
      cluster?: string;
      table?: string;
      tableSource?: string;
    } & StageChoice &
      AwsTarget);

export interface Invocation {
  command: Command;
  output: OutputFormat;
  /** print stack traces of unexpected errors */
  debug: boolean;
}

export type Env = Readonly<Record<string, string | undefined>>;

const RELATIVE = /^-(\d+)(s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** ISO 8601, `now`, or `-<n><s|m|h|d>` before `now`. */
export function parseTime(flag: string, value: string | undefined, now: number): Date {
  if (value === undefined || value === '')
    throw new UsageError(`--${flag} is required (ISO 8601 time, or e.g. -1h)`);
  if (value === 'now') return new Date(now);
  const relative = RELATIVE.exec(value);
  if (relative) return new Date(now - Number(relative[1]) * (UNIT_MS[relative[2] ?? 's'] ?? 1000));
  const parsed = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(parsed))
    throw new UsageError(
      `--${flag} "${value}" is not a time: use ISO 8601 (2026-01-01T10:00:00Z), now, or -15m/-2h/-1d`,
    );
  return new Date(parsed);
}

function positiveNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0)
    throw new UsageError(`--${flag} must be a positive number, got "${value}"`);
  return parsed;
}

/** `--from -2h` would read as a flag: glue a value like `-2h` to its option, as `--from=-2h` */
function glueNegativeValues(args: string[]): string[] {
  const out: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? '';
    const next = args[index + 1];
    if (arg.startsWith('--') && !arg.includes('=') && next !== undefined && RELATIVE.test(next)) {
      out.push(`${arg}=${next}`);
      index++;
    } else out.push(arg);
  }
  return out;
}

type Options = Record<string, { type: 'string' | 'boolean' }>;

function parse<T extends Options>(command: string, args: string[], options: T, positionals = false) {
  try {
    return parseArgs({
      args: glueNegativeValues(args),
      options,
      strict: true,
      allowPositionals: positionals,
    });
  } catch (error) {
    throw new UsageError(`slbc ${command}: ${(error as Error).message}`);
  }
}

const AWS_OPTIONS = {
  endpoint: { type: 'string' },
  region: { type: 'string' },
  profile: { type: 'string' },
} as const satisfies Options;

/** --region, else AWS_REGION, else AWS_DEFAULT_REGION (AWS CLI v1's), else the SDK's profile chain */
function awsTarget(values: { endpoint?: string; region?: string; profile?: string }, env: Env): AwsTarget {
  const region =
    values.region ?? (env['AWS_REGION'] || undefined) ?? (env['AWS_DEFAULT_REGION'] || undefined);
  return {
    ...(region ? { region } : {}),
    ...(values.profile ? { profile: values.profile } : {}),
    ...(values.endpoint ? { endpoint: values.endpoint } : {}),
  };
}

function stageChoice(flag: string | undefined, env: Env): StageChoice {
  if (flag) return { stage: flag, source: '--stage' };
  if (env['SLBC_STAGE']) return { stage: env['SLBC_STAGE'], source: 'SLBC_STAGE' };
  return {};
}

/** The state table a reading command uses: --table, SLBC_TABLE_NAME, or the stage's serverless.yml name. */
function stateTable(
  command: string,
  values: { stage?: string | undefined; table?: string | undefined },
  env: Env,
) {
  const stage = stageChoice(values.stage, env);
  const table = values.table
    ? { table: values.table, tableSource: '--table' }
    : env['SLBC_TABLE_NAME']
      ? { table: env['SLBC_TABLE_NAME'], tableSource: 'SLBC_TABLE_NAME' }
      : {};
  if (table.table === undefined && stage.stage === undefined)
    throw new UsageError(
      `slbc ${command}: which state table? give --stage S (or SLBC_STAGE) for serverless.yml names, or --table T (or SLBC_TABLE_NAME)`,
    );
  return { stage, table };
}

interface Globals {
  output: OutputFormat;
  debug: boolean;
  help: boolean;
  version: boolean;
  rest: string[];
}

/** Takes the global flags out of argv, wherever they stand. */
function takeGlobals(argv: readonly string[]): Globals {
  const globals: Globals = { output: 'text', debug: false, help: false, version: false, rest: [] };
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] ?? '';
    if (arg === '-h' || arg === '--help') globals.help = true;
    else if (arg === '--version' || arg === '-V') globals.version = true;
    else if (arg === '--debug') globals.debug = true;
    else if (arg === '--output' || arg === '-o' || arg.startsWith('--output=')) {
      const value = arg.startsWith('--output=') ? arg.slice('--output='.length) : argv[++index];
      if (value !== 'json' && value !== 'text')
        throw new UsageError(
          `--output must be json or text, got ${value === undefined ? 'nothing' : `"${value}"`}`,
        );
      globals.output = value;
    } else globals.rest.push(arg);
  }
  return globals;
}

const COMMANDS = 'local, local run, replay, status, plan, explain';

/** The help topic for a command line, or undefined when the command is unknown. */
function topicOf(rest: readonly string[]): string | undefined {
  const [first, second] = rest;
  if (first === 'local') return second === 'run' ? 'local-run' : 'local';
  return first !== undefined && first in USAGE ? first : undefined;
}

export function parseInvocation(argv: readonly string[], env: Env = {}, now = Date.now()): Invocation {
  const globals = takeGlobals(argv);
  const done = (command: Command): Invocation => ({ command, output: globals.output, debug: globals.debug });
  if (globals.version) return done({ name: 'version' });
  const [first] = globals.rest;
  if (first === 'help') return done({ name: 'help', ...optionalTopic(topicOf(globals.rest.slice(1))) });
  if (globals.help) return done({ name: 'help', ...optionalTopic(topicOf(globals.rest)) });
  if (first === undefined) return done({ name: 'help' });
  return done(parseCommandLine(globals.rest, env, now));
}

const optionalTopic = (topic: string | undefined) => (topic === undefined ? {} : { topic });

/** Back-compatible entry: the command alone (global flags are read and dropped). */
export function parseCommand(argv: readonly string[], now = Date.now(), env: Env = {}): Command {
  return parseInvocation(argv, env, now).command;
}

function parseCommandLine(argv: readonly string[], env: Env, now: number): Command {
  const [first, ...rest] = argv;
  switch (first) {
    case 'local': {
      if (rest[0] === 'run') {
        const { values } = parse('local run', rest.slice(1), {
          scenario: { type: 'string' },
          report: { type: 'string' },
        });
        if (!values.scenario) throw new UsageError('slbc local run: --scenario FILE.yaml is required');
        if (!values.report) throw new UsageError('slbc local run: --report FILE.json is required');
        return { name: 'local-run', scenario: values.scenario, report: values.report };
      }
      const { values } = parse('local', rest, {
        keep: { type: 'boolean' },
        'time-scale': { type: 'string' },
        seed: { type: 'string' },
      });
      const timeScale = positiveNumber('time-scale', values['time-scale']);
      const seed = values.seed === undefined ? undefined : Number(values.seed);
      if (seed !== undefined && !Number.isInteger(seed))
        throw new UsageError(`--seed must be an integer, got "${values.seed}"`);
      return {
        name: 'local',
        keep: values.keep ?? false,
        ...(timeScale === undefined ? {} : { timeScale }),
        ...(seed === undefined ? {} : { seed }),
      };
    }
    case 'replay': {
      const { values } = parse('replay', rest, {
        from: { type: 'string' },
        to: { type: 'string' },
        bus: { type: 'string' },
        archive: { type: 'string' },
        stage: { type: 'string' },
        ...AWS_OPTIONS,
      });
      const from = parseTime('from', values.from, now);
      const to = parseTime('to', values.to, now);
      if (from.getTime() >= to.getTime())
        throw new UsageError(`--from (${from.toISOString()}) must be before --to (${to.toISOString()})`);
      if (to.getTime() > now + 60_000) throw new UsageError(`--to (${to.toISOString()}) is in the future`);
      const bus = values.bus ?? (env['SLBC_BUS_NAME'] || undefined);
      const stage = stageChoice(values.stage, env);
      if (stage.stage === undefined && (bus === undefined || values.archive === undefined))
        throw new UsageError(
          'slbc replay: which deployment? give --stage S (or SLBC_STAGE) for serverless.yml names, or both --bus and --archive',
        );
      return {
        name: 'replay',
        from,
        to,
        ...stage,
        ...(bus ? { bus } : {}),
        ...(values.archive ? { archive: values.archive } : {}),
        ...awsTarget(values, env),
      };
    }
    case 'status': {
      const { values } = parse('status', rest, {
        cluster: { type: 'string' },
        stage: { type: 'string' },
        table: { type: 'string' },
        ...AWS_OPTIONS,
      });
      const { stage, table } = stateTable('status', values, env);
      return {
        name: 'status',
        ...stage,
        ...table,
        ...(values.cluster ? { cluster: values.cluster } : {}),
        ...awsTarget(values, env),
      };
    }
    case 'plan': {
      const { values } = parse('plan', rest, {
        kubeconfig: { type: 'string' },
        manifests: { type: 'string' },
        cluster: { type: 'string' },
        stage: { type: 'string' },
        ...AWS_OPTIONS,
      });
      if (values.kubeconfig && values.manifests)
        throw new UsageError('slbc plan: give --kubeconfig or --manifests, not both');
      return {
        name: 'plan',
        ...(values.kubeconfig ? { kubeconfig: values.kubeconfig } : {}),
        ...(values.manifests ? { manifests: values.manifests } : {}),
        ...(values.cluster ? { cluster: values.cluster } : {}),
        ...stageChoice(values.stage, env),
        ...awsTarget(values, env),
      };
    }
    case 'explain': {
      const { values, positionals } = parse(
        'explain',
        rest,
        { cluster: { type: 'string' }, stage: { type: 'string' }, table: { type: 'string' }, ...AWS_OPTIONS },
        true,
      );
      const [kind, object, ...extra] = positionals;
      if (kind !== 'ingress' && kind !== 'service' && kind !== 'target')
        throw new UsageError(
          `slbc explain: the first argument must be ingress, service or target, got ${kind === undefined ? 'nothing' : `"${kind}"`}`,
        );
      if (object === undefined) throw new UsageError(`slbc explain ${kind}: NAME is required`);
      if (extra.length > 0) throw new UsageError(`slbc explain: unexpected argument "${extra[0]}"`);
      if (kind !== 'target' && !/^[^/]+\/[^/]+$/.test(object))
        throw new UsageError(`slbc explain ${kind}: NAME must be namespace/name, got "${object}"`);
      const { stage, table } = stateTable('explain', values, env);
      return {
        name: 'explain',
        kind,
        object,
        ...stage,
        ...table,
        ...(values.cluster ? { cluster: values.cluster } : {}),
        ...awsTarget(values, env),
      };
    }
    default:
      throw new UsageError(`slbc: unknown command "${first}" (commands: ${COMMANDS}; see slbc --help)`);
  }
}
