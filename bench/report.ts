import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// bench/run.ts names it: a bundled benchmark (bench/.build/) would otherwise write beside its bundle
const resultsDir =
  process.env['BENCH_RESULTS_DIR'] ?? join(dirname(fileURLToPath(import.meta.url)), 'results');

export interface BenchTarget {
  /** what is measured, e.g. 'ELBv2 calls per second' */
  metric: string;
  value: number;
  /** the goal the issue sets, e.g. '>= 1000' */
  target: string;
  met: boolean;
}

/** Prints a benchmark's figures and writes them to bench/results/<name>.json. */
export function writeReport(
  name: string,
  figures: Record<string, unknown>,
  targets: BenchTarget[] = [],
): void {
  const report = {
    name,
    node: process.version,
    platform: `${process.platform}/${process.arch}`,
    at: new Date().toISOString(),
    figures,
    targets,
  };
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, `${name}.json`), `${JSON.stringify(report, null, 2)}\n`);
  console.log(JSON.stringify(figures, null, 2));
  for (const target of targets) {
    console.log(
      `${target.met ? 'MET ' : 'MISS'} ${target.metric}: ${target.value} (target ${target.target})`,
    );
  }
}

/** Peak resident memory of this process so far, in MiB. */
export function peakRssMiB(): number {
  return Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
}
