import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { tokenizer, tokTypes } from 'acorn';
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

/** Writes the zip's files under a new directory in the OS temp dir, where no node_modules is above them. */
function extract(bundle: Bundle): string {
  const dir = mkdtempSync(join(tmpdir(), `slbc-bundle-${bundle.name}-`));
  for (const [path, content] of bundle.files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/**
 * Extracts the zip under the OS temp dir (no node_modules above it), then imports the handler
 * and every import() chunk in one fresh Node process, as Lambda's init and first calls would.
 * Returns the handler export's type, or the process's error output.
 */
export function importEveryModule(bundle: Bundle): { handlerType: string } | { error: string } {
  const dir = extract(bundle);
  try {
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

/** What a packaged handler answered: its return value, or the message of what it threw. */
export type Answer = { result: unknown } | { error: string };

/**
 * Extracts the zip as above and calls its handler once per event, in order, in one
 * fresh Node process with `env` alone (as Lambda gives a function its environment): one cold
 * start, then warm calls. Asynchronous, so an endpoint served by this process can answer.
 */
export async function invokePackaged(
  bundle: Bundle,
  events: readonly unknown[],
  env: Record<string, string>,
): Promise<Answer[]> {
  const dir = extract(bundle);
  try {
    writeFileSync(join(dir, 'events.json'), JSON.stringify(events));
    const script = [
      "import { readFileSync, writeSync } from 'node:fs';",
      'const [handlerPath, eventsPath] = process.argv.slice(1);',
      'const { handler } = await import(handlerPath);',
      'const answers = [];',
      "const context = { functionName: 'slbc-packaged', functionVersion: '$LATEST', memoryLimitInMB: '1024',",
      "  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:slbc-packaged',",
      "  awsRequestId: 'packaged', getRemainingTimeInMillis: () => 60000 };",
      "for (const event of JSON.parse(readFileSync(eventsPath, 'utf8'))) {",
      '  try { answers.push({ result: (await handler(event, context)) ?? null }); }',
      '  catch (error) { answers.push({ error: error.message }); }',
      '}',
      // fd 3: the answers, apart from the logs Powertools writes to stdout
      'writeSync(3, JSON.stringify(answers));',
    ].join('\n');
    const child = spawn(
      process.execPath,
      ['--input-type=module', '-e', script, join(dir, bundle.path), join(dir, 'events.json')],
      { env: { PATH: process.env.PATH ?? '', ...env }, cwd: dir, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] },
    );
    const read = (stream: NodeJS.ReadableStream | null) =>
      new Promise<string>((resolve) => {
        let text = '';
        stream?.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8');
        });
        stream?.on('end', () => resolve(text));
      });
    const [, stderr, answers, code] = await Promise.all([
      read(child.stdout),
      read(child.stderr),
      read(child.stdio[3] as NodeJS.ReadableStream),
      new Promise<number | null>((resolve) => child.on('close', resolve)),
    ]);
    if (code !== 0)
      throw new Error(`${bundle.name}: the packaged handler's process exited ${code}:\n${stderr}`);
    return JSON.parse(answers) as Answer[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The `=>` tokens in a module's code: strings, templates and comments that hold one are not tokens. */
export function arrowFunctionCount(code: string): number {
  let count = 0;
  for (const token of tokenizer(code, { ecmaVersion: 'latest', sourceType: 'module' })) {
    if (token.type === tokTypes.arrow) count += 1;
  }
  return count;
}
