/**
 * Command-line parsing for `slbc`, pure so it can be tested: node:util parseArgs per command,
 * with errors that name the flag. Usage errors exit 2, as most CLIs do.
 */
import { parseArgs } from 'node:util';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type Command =
  | { name: 'help'; topic?: string }
  | { name: 'local'; keep: boolean; timeScale?: number; seed?: number }
  | { name: 'local-run'; scenario: string; report: string }
  | {
      name: 'replay';
      from: Date;
      to: Date;
      bus?: string;
      archive?: string;
      stage: string;
      endpoint?: string;
      region?: string;
    }
  | { name: 'status'; cluster?: string; stage: string; endpoint?: string; region?: string; table?: string };

export const USAGE: Record<string, string> = {
  slbc: `usage: slbc <command> [options]

commands:
  local [--keep]                          run slbc, a simulated EKS cluster and a local AWS endpoint; apply the demo and converge
  local run --scenario F --report R       run a scenario file and write its JSON report
  replay --from T --to T [--bus B] [--archive A]
                                          replay the bus archive between two times
  status [--cluster C]                    load balancers, target groups and targets slbc owns, and recorded errors

Every command takes --help.`,
  local: `usage: slbc local [--keep] [--time-scale N] [--seed N]

Starts the local AWS endpoint, the simulated EKS cluster and slbc's four functions wired as in
serverless.yml, applies the demo (an NLB Service in IP mode and an IngressGroup of two apps),
shows progress, prints the topology and exits 0 once converged.

  --keep            keep running, serving the endpoint on port 4566, and print changes
  --time-scale N    clock ms per wall ms (default 20)
  --seed N          seed of every random choice (default 1)`,
  'local-run': `usage: slbc local run --scenario FILE.yaml --report FILE.json

Runs a scenario against a fresh local system and writes its report. Exit 0 when converged.`,
  replay: `usage: slbc replay --from TIME --to TIME [--bus B] [--archive A] [--stage S] [--endpoint URL] [--region R]

Starts a replay of the bus archive onto the bus and waits for DescribeReplay to say COMPLETED or
FAILED. TIME is ISO 8601 (2026-01-01T10:00:00Z) or relative to now (-15m, -2h, -1d, now).
Bus and archive default to serverless.yml's names for the stage (default dev). --endpoint (or
AWS_ENDPOINT_URL) points at the local endpoint; without either, AWS.`,
  status: `usage: slbc status [--cluster C] [--stage S] [--table T] [--endpoint URL] [--region R]

Lists the load balancers, target groups and targets tagged elbv2.k8s.aws/cluster (all clusters
unless --cluster), with target health, and the errors recorded in the state table.`,
};

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

function parse<T extends Record<string, { type: 'string' | 'boolean' }>>(
  command: string,
  args: string[],
  options: T,
) {
  try {
    return parseArgs({
      args: glueNegativeValues(args),
      options: { ...options, help: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError(`slbc ${command}: ${(error as Error).message}`);
  }
}

export function parseCommand(argv: readonly string[], now = Date.now()): Command {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help')
    return { name: 'help' };
  switch (first) {
    case 'local': {
      if (rest[0] === 'run') {
        const { values } = parse('local run', rest.slice(1), {
          scenario: { type: 'string' },
          report: { type: 'string' },
        });
        if (values.help) return { name: 'help', topic: 'local-run' };
        if (!values.scenario) throw new UsageError('slbc local run: --scenario FILE.yaml is required');
        if (!values.report) throw new UsageError('slbc local run: --report FILE.json is required');
        return { name: 'local-run', scenario: values.scenario, report: values.report };
      }
      const { values } = parse('local', rest, {
        keep: { type: 'boolean' },
        'time-scale': { type: 'string' },
        seed: { type: 'string' },
      });
      if (values.help) return { name: 'help', topic: 'local' };
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
        endpoint: { type: 'string' },
        region: { type: 'string' },
      });
      if (values.help) return { name: 'help', topic: 'replay' };
      const from = parseTime('from', values.from, now);
      const to = parseTime('to', values.to, now);
      if (from.getTime() >= to.getTime())
        throw new UsageError(`--from (${from.toISOString()}) must be before --to (${to.toISOString()})`);
      if (to.getTime() > now + 60_000) throw new UsageError(`--to (${to.toISOString()}) is in the future`);
      return {
        name: 'replay',
        from,
        to,
        stage: values.stage ?? 'dev',
        ...(values.bus ? { bus: values.bus } : {}),
        ...(values.archive ? { archive: values.archive } : {}),
        ...(values.endpoint ? { endpoint: values.endpoint } : {}),
        ...(values.region ? { region: values.region } : {}),
      };
    }
    case 'status': {
      const { values } = parse('status', rest, {
        cluster: { type: 'string' },
        stage: { type: 'string' },
        table: { type: 'string' },
        endpoint: { type: 'string' },
        region: { type: 'string' },
      });
      if (values.help) return { name: 'help', topic: 'status' };
      return {
        name: 'status',
        stage: values.stage ?? 'dev',
        ...(values.cluster ? { cluster: values.cluster } : {}),
        ...(values.table ? { table: values.table } : {}),
        ...(values.endpoint ? { endpoint: values.endpoint } : {}),
        ...(values.region ? { region: values.region } : {}),
      };
    }
    default:
      throw new UsageError(
        `slbc: unknown command "${first}" (commands: local, local run, replay, status; see slbc --help)`,
      );
  }
}
