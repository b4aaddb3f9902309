import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readZip } from './zip.js';

/**
 * Runs `serverless package` the way CI does: offline, with no credentials and no profile, so
 * nothing in serverless.yml may need an AWS call to resolve. Used by the template tests and
 * the cold-import benchmark.
 */

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const TEMPLATE_FILE = 'cloudformation-template-update-stack.json';

export interface PackageOptions {
  stage: string;
  /** `--param` values, e.g. { clusters: 'a,b' } */
  params?: Record<string, string>;
  /** the directory the artifacts go to */
  outDir: string;
}

export function packageService({ stage, params = {}, outDir }: PackageOptions): void {
  const args = ['serverless', 'package', '--stage', stage, '--package', outDir];
  for (const [name, value] of Object.entries(params)) args.push(`--param=${name}=${value}`);
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' };
  delete env.AWS_PROFILE;
  delete env.AWS_SESSION_TOKEN;
  const run = spawnSync('npx', args, { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 180_000 });
  if (run.status !== 0) {
    throw new Error(`serverless package failed (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  }
  if (!existsSync(join(outDir, TEMPLATE_FILE)))
    throw new Error(`serverless package wrote no ${TEMPLATE_FILE}`);
}

export interface Bundle {
  /** the function name, from the zip's name */
  name: string;
  /** the handler module's path inside the zip */
  path: string;
  code: Buffer;
  /** every file in the zip (the module and its source map) */
  files: Map<string, Buffer>;
}

/** The handler bundle (.mjs) of every function zip in a package directory. */
export function readBundles(outDir: string): Bundle[] {
  return readdirSync(outDir)
    .filter((file) => file.endsWith('.zip'))
    .sort()
    .map((file) => {
      const files = readZip(readFileSync(join(outDir, file)));
      const modules = [...files.keys()].filter((path) => path.endsWith('.mjs'));
      const [path] = modules;
      if (modules.length !== 1 || path === undefined) {
        throw new Error(`${file} holds ${modules.length} .mjs modules; expected the handler alone`);
      }
      return { name: file.replace(/\.zip$/, ''), path, code: files.get(path)!, files };
    });
}
