/**
 * `npm run bench`: runs every bench/*.bench.ts in its own process (so peak memory is each
 * benchmark's own), prints its results, and collects them into bench/results/all.json.
 * Each benchmark writes bench/results/<name>.json itself through ./report.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
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
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', join(here, file)], {
    stdio: 'inherit',
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
