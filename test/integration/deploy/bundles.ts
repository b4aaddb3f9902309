import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Bundle } from '../../../infra/deploy/package.js';

/**
 * What the bundle tests read from a function's package: the AWS SDK clients its modules hold
 * (from their source maps, which list every input esbuild put in the module), and whether
 * every module imports in a fresh Node process that has no node_modules to fall back on.
 */

/** The `@aws-sdk/client-*` packages listed in the source maps of `modules`, sorted. */
export function sdkClientsIn(bundle: Bundle, modules: readonly string[]): string[] {
  const clients = new Set<string>();
  for (const module of modules) {
    const map = bundle.files.get(`${module}.map`);
    if (map === undefined) throw new Error(`${bundle.name}: ${module} has no source map`);
    const { sources } = JSON.parse(map.toString('utf8')) as { sources: string[] };
    for (const source of sources) {
      const client = source.match(/node_modules\/@aws-sdk\/(client-[a-z0-9-]+)\//)?.[1];
      if (client !== undefined) clients.add(client);
    }
  }
  return [...clients].sort();
}

/**
 * Extracts the zip under the OS temp dir (no node_modules above it), then imports the handler
 * and every import() chunk in one fresh Node process, as Lambda's init and first calls would.
 * Returns the handler export's type, or the process's error output.
 */
export function importEveryModule(bundle: Bundle): { handlerType: string } | { error: string } {
  const dir = mkdtempSync(join(tmpdir(), `slbc-bundle-${bundle.name}-`));
  try {
    for (const [path, content] of bundle.files) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    const script =
      'const [h,...rest]=process.argv.slice(1);const m=await import(h);for(const c of rest)await import(c);process.stdout.write(typeof m.handler)';
    const run = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', script, ...[bundle.path, ...bundle.lazy].map((path) => join(dir, path))],
      { encoding: 'utf8', env: { PATH: process.env.PATH, AWS_REGION: 'eu-west-1' }, cwd: dir },
    );
    return run.status === 0 ? { handlerType: run.stdout } : { error: run.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
