/**
 * Cold import of each function bundle: a fresh Node process imports the handler module from
 * the deployment zip, as Lambda's init phase does, twenty times per function; the median is
 * reported. The handler imports its chunks statically (loaded with it) or with import() (loaded
 * on the first call that needs them: EC2, WAFv2, Shield, EKS, SQS, EventBridge where rare); a
 * second series imports the handler and every such chunk, the most a first invocation can load.
 * An empty Node process (start to exit, nothing imported) is timed in the same rounds,
 * interleaved with the bundles so the machine's load falls on both alike. The goal (issue #16)
 * is on the cold import, the milliseconds import() takes in the fresh process, at most twice the
 * empty process's; each bundle's whole process (start, import, exit) is reported as a ratio of
 * it too, a stricter figure (≤ 2× of it means the import takes no longer than the empty process
 * itself) that is tracked but not the goal. A third series imports only the Node
 * builtins the handler's modules import (https, crypto, zlib, ...): the part of the ratio that no
 * change to the bundle's own code can remove while the first call needs them. The zips are extracted where no
 * node_modules is reachable: a bundle that still needs a package fails here, as in Lambda.
 * Packages with `serverless package` first unless .serverless/ already holds zips newer than
 * every source file.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  type Bundle,
  EAGER_KB_BUDGET,
  packageService,
  REPO_ROOT,
  readBundles,
} from '../infra/deploy/package.js';
import { type BenchTarget, writeReport } from './report.js';

const RUNS = 20;
/**
 * The Node that runs every process: this one, or BENCH_NODE (a path), e.g. the major version
 * Lambda runs (nodejs22.x) where CI runs another. Both the empty process and the bundles use it.
 */
const NODE = process.env.BENCH_NODE || process.execPath;
const MAX_IMPORT_MS = 200;
/** a bundle's cold import, as a multiple of an empty node process's whole run (issue #16) */
const MAX_IMPORT_RATIO = 2;
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
 * A fresh process importing `modulePaths` in order (none: an empty process): the milliseconds
 * the imports took inside it, and the wall milliseconds of the whole process, spawn to exit.
 */
function importOnce(modulePaths: string[]): { importMs: number; processMs: number } {
  const script =
    modulePaths.length === 0
      ? 'process.stdout.write("0")'
      : 'const t=performance.now();for(const m of process.argv.slice(1))await import(m);process.stdout.write(String(performance.now()-t))';
  const started = performance.now();
  const run = spawnSync(NODE, ['--input-type=module', '-e', script, ...modulePaths], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, AWS_REGION: 'eu-west-1', NODE_ENV: 'production' },
  });
  const processMs = performance.now() - started;
  if (run.status !== 0)
    throw new Error(`importing ${modulePaths.join(', ') || '(nothing)'} failed:\n${run.stderr}`);
  return { importMs: Number(run.stdout), processMs };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** Writes the zip's files under `dir`; the paths of the handler and of its lazy chunks. */
function extract(bundle: Bundle, dir: string): { handler: string; lazy: string[] } {
  for (const [path, content] of bundle.files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return { handler: join(dir, bundle.path), lazy: bundle.lazy.map((path) => join(dir, path)) };
}

const round = (value: number) => Math.round(value * 10) / 10;
/** `ms` as a multiple of `baseMs`, to two decimals */
const ratioTo = (baseMs: number, ms: number) => Math.round((ms / baseMs) * 100) / 100;
const kb = (bytes: number) => round(bytes / 1024);

interface Series {
  modules: string[];
  runs: { importMs: number; processMs: number }[];
}

// under the OS temp dir, away from the repository's node_modules: nothing to resolve a package from
const workDir = mkdtempSync(join(tmpdir(), 'slbc-cold-import-'));
try {
  const bundles = readBundles(packagedDir(workDir));
  const empty: Series = { modules: [], runs: [] };
  const series = new Map<string, { handler: Series; firstCalls: Series; builtins: Series }>();
  for (const bundle of bundles) {
    const { handler, lazy } = extract(bundle, join(workDir, bundle.name));
    series.set(bundle.name, {
      handler: { modules: [handler], runs: [] },
      firstCalls: { modules: [handler, ...lazy], runs: [] },
      builtins: { modules: bundle.eagerBuiltins, runs: [] },
    });
  }
  // interleaved rounds: a burst of load on the shared machine slows the empty process as well
  for (let pass = 0; pass < RUNS; pass += 1) {
    empty.runs.push(importOnce(empty.modules));
    for (const { handler, firstCalls, builtins } of series.values()) {
      handler.runs.push(importOnce(handler.modules));
      firstCalls.runs.push(importOnce(firstCalls.modules));
      builtins.runs.push(importOnce(builtins.modules));
    }
  }
  const emptyProcessMs = round(median(empty.runs.map((run) => run.processMs)));
  const nodeVersion = spawnSync(NODE, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const figures: Record<string, unknown> = { node: nodeVersion, emptyNodeProcessMsMedian: emptyProcessMs };
  const targets: BenchTarget[] = [];
  const importRatios: string[] = [];
  const processRatios: string[] = [];
  for (const bundle of bundles) {
    const { handler, firstCalls, builtins } = series.get(bundle.name)!;
    const times = handler.runs.map((run) => run.importMs);
    const importMsMedian = round(median(times));
    const processMsMedian = round(median(handler.runs.map((run) => run.processMs)));
    const importRatio = ratioTo(emptyProcessMs, importMsMedian);
    const processRatio = ratioTo(emptyProcessMs, processMsMedian);
    const allChunksProcessMs = round(median(firstCalls.runs.map((run) => run.processMs)));
    const builtinsProcessMs = round(median(builtins.runs.map((run) => run.processMs)));
    figures[bundle.name] = {
      // what importing the handler loads: the handler and its static imports
      bundleKB: kb(bundle.eagerBytes),
      eagerModules: bundle.eager.length,
      // every module in the zip, the chunks loaded with import() included
      totalKB: kb(bundle.totalBytes),
      lazyModules: bundle.lazy.length,
      importMsMedian,
      importMsMin: round(Math.min(...times)),
      importRatioToEmptyNode: importRatio,
      processMsMedian,
      processRatioToEmptyNode: processRatio,
      // the handler and every import() chunk: the most a first invocation loads
      allChunksImportMsMedian: round(median(firstCalls.runs.map((run) => run.importMs))),
      allChunksProcessMsMedian: allChunksProcessMs,
      allChunksProcessRatioToEmptyNode: ratioTo(emptyProcessMs, allChunksProcessMs),
      // a process importing only the Node builtins the handler's modules import
      eagerBuiltins: bundle.eagerBuiltins,
      builtinsOnlyProcessMsMedian: builtinsProcessMs,
      builtinsOnlyProcessRatioToEmptyNode: ratioTo(emptyProcessMs, builtinsProcessMs),
    };
    importRatios.push(`${bundle.name} ${importRatio}x`);
    processRatios.push(`${bundle.name} ${processRatio}x`);
    if (bundle.name === 'targets' || bundle.name === 'stacks') {
      targets.push({
        metric: `${bundle.name} cold import ÷ an empty node process, same run`,
        value: importRatio,
        target: `<= ${MAX_IMPORT_RATIO}`,
        met: importRatio <= MAX_IMPORT_RATIO,
      });
    }
    targets.push(
      {
        metric: `${bundle.name} KB loaded by importing the handler`,
        value: kb(bundle.eagerBytes),
        target: `< ${EAGER_KB_BUDGET[bundle.name]}`,
        met: kb(bundle.eagerBytes) < (EAGER_KB_BUDGET[bundle.name] ?? 0),
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
  const emptyNode = `an empty node ${nodeVersion} process (${emptyProcessMs} ms)`;
  console.log(`cold import ÷ ${emptyNode}: ${importRatios.join(', ')}`);
  console.log(`whole process (start, import, exit) ÷ ${emptyNode}: ${processRatios.join(', ')}`);
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
