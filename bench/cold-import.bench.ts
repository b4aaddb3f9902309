/**
 * Cold import of each function bundle: a fresh Node process imports the minified .mjs from
 * the deployment zip, as Lambda's init phase does, ten times per function; the median is
 * reported. In the same run an empty Node process (start to exit, nothing imported) is timed
 * the same way, and each bundle's process (start, import, exit) is reported as a ratio of it:
 * the machine's speed cancels out. Packages with `serverless package` first unless
 * .serverless/ already holds zips newer than every source file.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type Bundle, packageService, REPO_ROOT, readBundles } from '../infra/deploy/package.js';
import { type BenchTarget, writeReport } from './report.js';

const RUNS = 10;
const MAX_BUNDLE_KB = 250;
const MAX_IMPORT_MS = 200;
/** a bundle's whole process, as a multiple of an empty node process's */
const MAX_PROCESS_RATIO = 2;
const FUNCTIONS = ['ingest', 'targets', 'stacks', 'resync'];

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function packagedDir(workDir: string): string {
  const existing = join(REPO_ROOT, '.serverless');
  const zips = FUNCTIONS.map((name) => join(existing, `${name}.zip`));
  const sources = Math.max(
    ...['functions', 'shared', 'serverless.yml'].map((path) => {
      const full = join(REPO_ROOT, path);
      return statSync(full).isDirectory() ? newestSource(full) : statSync(full).mtimeMs;
    }),
  );
  if (zips.every((zip) => existsSync(zip) && statSync(zip).mtimeMs > sources)) return existing;
  const outDir = join(workDir, 'package');
  console.log('packaging (serverless package --stage ci) ...');
  packageService({ stage: 'ci', outDir });
  return outDir;
}

/**
 * A fresh process importing `modulePath` (none: an empty process): the milliseconds import()
 * took inside it, and the wall milliseconds of the whole process, spawn to exit.
 */
function importOnce(modulePath: string | undefined): { importMs: number; processMs: number } {
  const script =
    modulePath === undefined
      ? 'process.stdout.write("0")'
      : 'const t=performance.now();await import(process.argv[1]);process.stdout.write(String(performance.now()-t))';
  const started = performance.now();
  const run = spawnSync(
    process.execPath,
    ['--input-type=module', '-e', script, ...(modulePath === undefined ? [] : [modulePath])],
    {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, AWS_REGION: 'eu-west-1', NODE_ENV: 'production' },
    },
  );
  const processMs = performance.now() - started;
  if (run.status !== 0) throw new Error(`importing ${modulePath ?? '(nothing)'} failed:\n${run.stderr}`);
  return { importMs: Number(run.stdout), processMs };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

function extract(bundle: Bundle, dir: string): string {
  for (const [path, content] of bundle.files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return join(dir, bundle.path);
}

const workDir = mkdtempSync(join(tmpdir(), 'slbc-cold-import-'));
// The bundles leave the AWS SDK to the Lambda runtime, which provides it on the module path;
// here the project's own node_modules stands in for it.
symlinkSync(join(REPO_ROOT, 'node_modules'), join(workDir, 'node_modules'), 'dir');
try {
  const bundles = readBundles(packagedDir(workDir));
  const round = (value: number) => Math.round(value * 10) / 10;
  const emptyProcessMs = round(median(Array.from({ length: RUNS }, () => importOnce(undefined).processMs)));
  const figures: Record<string, unknown> = { emptyNodeProcessMsMedian: emptyProcessMs };
  const targets: BenchTarget[] = [];
  for (const bundle of bundles) {
    const modulePath = extract(bundle, join(workDir, bundle.name));
    const runs = Array.from({ length: RUNS }, () => importOnce(modulePath));
    const times = runs.map((run) => run.importMs);
    const bundleKB = Math.round((bundle.code.length / 1024) * 10) / 10;
    const importMsMedian = round(median(times));
    const processMsMedian = round(median(runs.map((run) => run.processMs)));
    const processRatio = Math.round((processMsMedian / emptyProcessMs) * 100) / 100;
    figures[bundle.name] = {
      bundleKB,
      importMsMedian,
      importMsMin: round(Math.min(...times)),
      processMsMedian,
      processRatioToEmptyNode: processRatio,
    };
    if (bundle.name === 'targets' || bundle.name === 'stacks') {
      targets.push({
        metric: `${bundle.name} process (start, import, exit) ÷ an empty node process, same run`,
        value: processRatio,
        target: `<= ${MAX_PROCESS_RATIO}`,
        met: processRatio <= MAX_PROCESS_RATIO,
      });
    }
    targets.push(
      {
        metric: `${bundle.name} bundle KB`,
        value: bundleKB,
        target: `< ${MAX_BUNDLE_KB}`,
        met: bundleKB < MAX_BUNDLE_KB,
      },
      {
        metric: `${bundle.name} cold import ms (median of ${RUNS})`,
        value: importMsMedian,
        target: `< ${MAX_IMPORT_MS}`,
        met: importMsMedian < MAX_IMPORT_MS,
      },
    );
  }
  writeReport('cold-import', figures, targets);
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
