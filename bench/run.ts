/**
 * `npm run bench`: runs every bench/*.bench.ts in its own process (so peak memory is each
 * benchmark's own), prints its results, and collects them into bench/results/all.json.
 * Each benchmark writes bench/results/<name>.json itself through ./report.ts.
 *
 * The system benchmark measures memory, so it runs as plain JavaScript: bundled by esbuild
 * (packages left external) into bench/.build/, at the same depth as infra/deploy so the paths
 * it computes from its own URL still name the repository. Under tsx, the loader's thread and
 * the source maps it keeps added about 100 MiB to the process, none of it slbc's. It also runs
 * with the old generation capped (`--max-old-space-size`) below the memory goal, as a process
 * on a 512 MiB machine would be: left uncapped, V8 grows the heap to three or four times the
 * live objects before it collects, and the figure would measure that choice, not slbc
 * (docs/scenarios.md gives both).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const BUNDLED = new Set(['system']);
/** node flags per benchmark; BENCH_HEAP_MIB=0 lifts the system benchmark's cap */
const HEAP_MIB = Number(process.env['BENCH_HEAP_MIB'] ?? 320);
const FLAGS: Record<string, string[]> = {
  system: HEAP_MIB > 0 ? [`--max-old-space-size=${HEAP_MIB}`] : [],
};

/** node's arguments for a benchmark: the TypeScript under tsx, or a bundle of it */
function entryOf(file: string, name: string): string[] {
  if (!BUNDLED.has(name)) return ['--import', 'tsx', join(here, file)];
  const outfile = join(here, '.build', file.replace(/\.ts$/, '.mjs'));
  buildSync({
    entryPoints: [join(here, file)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return [outfile];
}
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => only.length === 0 || only.some((name) => file.includes(name)))
  .sort();

mkdirSync(join(here, 'results'), { recursive: true });
const all: Record<string, unknown> = {};
let failed = 0;
for (const file of files) {
  const name = file.replace(/\.bench\.ts$/, '');
  console.log(`\n== ${name}`);
  const run = spawnSync(process.execPath, ['--expose-gc', ...(FLAGS[name] ?? []), ...entryOf(file, name)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_RESULTS_DIR: join(here, 'results') },
  });
  if (run.status !== 0) {
    failed += 1;
    all[name] = { error: `exit ${run.status}` };
    continue;
  }
  all[name] = JSON.parse(readFileSync(join(here, 'results', `${name}.json`), 'utf8'));
}
writeFileSync(join(here, 'results', 'all.json'), `${JSON.stringify(all, null, 2)}\n`);
console.log(`\nresults: bench/results/all.json (${files.length - failed} ran, ${failed} failed)`);
process.exit(failed === 0 ? 0 : 1);
