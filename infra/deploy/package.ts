import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtinImportsOf, type ModuleGraph, moduleGraph } from './bundle-graph.js';
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

/**
 * KB a cold start of each function compiles: its handler and the chunks the handler imports
 * statically (Bundle.eagerBytes). The figures of December 2026 plus 5 to 8%; docs/deploy.md
 * ("Cold start") says why, and what to do when a change exceeds one. The bundle test and the
 * cold-import benchmark both hold the bundles to it.
 */
export const EAGER_KB_BUDGET: Readonly<Record<string, number>> = {
  ingest: 310,
  targets: 420,
  stacks: 540,
  resync: 440,
};

export interface Bundle {
  /** the function name, from the zip's name */
  name: string;
  /** the handler module's path inside the zip */
  path: string;
  /** the handler module's code */
  code: Buffer;
  /** every file in the zip: the handler, its chunks, and their source maps */
  files: Map<string, Buffer>;
  /** the handler and the chunks it imports statically: what importing the handler loads */
  eager: string[];
  /** the chunks only import() reaches: loaded on the first call that needs them */
  lazy: string[];
  /**
   * chunks nothing imports: esbuild writes a chunk for every import() it finds before tree
   * shaking drops the code that calls it (the SDK's browser user-agent parser, `bowser`)
   */
  unreachable: string[];
  /** the Node builtins the eager modules import (`node:crypto`, ...): loaded with the handler */
  eagerBuiltins: string[];
  /** bytes of the eager modules: what a cold start compiles */
  eagerBytes: number;
  /** bytes of every module in the zip */
  totalBytes: number;
}

/**
 * The handler bundle of every function zip in a package directory, with its chunks. The
 * handler is `<dir>/handler.mjs`; a zip with no handler, with modules outside the handler's
 * folder, or with an import that names no file of the zip is refused, naming the zip.
 */
export function readBundles(outDir: string): Bundle[] {
  return readdirSync(outDir)
    .filter((file) => file.endsWith('.zip'))
    .sort()
    .map((file) => {
      const files = readZip(readFileSync(join(outDir, file)));
      const modules = new Map(
        [...files]
          .filter(([path]) => path.endsWith('.mjs'))
          .map(([path, code]) => [path, code.toString('utf8')]),
      );
      const handlers = [...modules.keys()].filter((path) => posix.basename(path) === 'handler.mjs');
      const [path] = handlers;
      if (handlers.length !== 1 || path === undefined) {
        throw new Error(`${file} holds ${handlers.length} handler.mjs modules; expected one`);
      }
      const foreign = [...modules.keys()].filter((module) => posix.dirname(module) !== posix.dirname(path));
      if (foreign.length > 0)
        throw new Error(`${file} holds modules beside no handler: ${foreign.join(', ')}`);
      let graph: ModuleGraph;
      try {
        graph = moduleGraph(path, modules);
      } catch (error) {
        throw new Error(`${file}: ${(error as Error).message}`);
      }
      const bytes = (paths: Iterable<string>) => [...paths].reduce((sum, m) => sum + files.get(m)!.length, 0);
      return {
        name: file.replace(/\.zip$/, ''),
        path,
        code: files.get(path)!,
        files,
        eager: graph.eager,
        lazy: graph.lazy,
        unreachable: graph.unreachable,
        eagerBuiltins: builtinImportsOf(graph.eager.map((module) => modules.get(module)!)),
        eagerBytes: bytes(graph.eager),
        totalBytes: bytes(modules.keys()),
      };
    });
}
