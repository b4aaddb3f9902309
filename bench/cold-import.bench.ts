/**
 * Cold import of each function bundle: a fresh Node process imports the minified .mjs from
 * the deployment zip, as Lambda's init phase does, ten times per function; the median is
 * reported. Packages with `serverless package` first unless .serverless/ already holds zips
 * newer than every source file.
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

/** Milliseconds from process start of import() to its resolution, in a fresh process. */
function importOnce(modulePath: string): number {
  const script =
    'const t=performance.now();await import(process.argv[1]);process.stdout.write(String(performance.now()-t))';
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script, modulePath], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, AWS_REGION: 'eu-west-1', NODE_ENV: 'production' },
  });
  if (run.status !== 0) throw new Error(`importing ${modulePath} failed:\n${run.stderr}`);
  return Number(run.stdout);
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
  const figures: Record<string, { bundleKB: number; importMsMedian: number; importMsMin: number }> = {};
  const targets: BenchTarget[] = [];
  for (const bundle of bundles) {
    const modulePath = extract(bundle, join(workDir, bundle.name));
    const times = Array.from({ length: RUNS }, () => importOnce(modulePath));
    const bundleKB = Math.round((bundle.code.length / 1024) * 10) / 10;
    const importMsMedian = Math.round(median(times) * 10) / 10;
    figures[bundle.name] = {
      bundleKB,
      importMsMedian,
      importMsMin: Math.round(Math.min(...times) * 10) / 10,
    };
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
