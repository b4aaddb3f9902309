import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { moduleGraph } from '../../../infra/deploy/bundle-graph.js';

/**
 * The Lambda bundles' esbuild plugins (infra/deploy/esbuild-plugins.cjs), each run on a small
 * module tree the way serverless-esbuild runs a function: one entry point, `splitting`, ESM.
 */

const plugins = createRequire(import.meta.url)('../../../infra/deploy/esbuild-plugins.cjs') as Plugin[];
const plugin = (name: string) => plugins.find((p) => p.name === name)!;

const root = mkdtempSync(join(tmpdir(), 'slbc-esbuild-plugins-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Writes `files` under a fresh directory and bundles `entry.js` with `withPlugins`. */
async function bundle(name: string, files: Record<string, string>, withPlugins: Plugin[]) {
  const dir = join(root, name);
  for (const [path, code] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), code);
  }
  const outdir = join(dir, 'out');
  await build({
    absWorkingDir: dir,
    entryPoints: ['entry.js'],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'entry.[name]-[hash]',
    plugins: withPlugins,
    logLevel: 'silent',
  });
  const modules = new Map(
    readdirSync(outdir).map((file) => [file, readFileSync(join(outdir, file), 'utf8')]),
  );
  return { outdir, modules, graph: moduleGraph('entry.mjs', modules) };
}

describe('eager-chunk-anchor', () => {
  // the handler shares code with each lazy module, and the lazy modules with each other
  const tree = {
    'entry.js': `import { core } from './core.js'; import { onlyA } from './only-a.js'; import { onlyB } from './only-b.js';
      export const handler = async (kind) => core(kind === 'a' ? (await import('./lazy-a.js')).a() : kind === 'b' ? (await import('./lazy-b.js')).b() : onlyA() + onlyB());`,
    'core.js': `export const core = (value) => 'core:' + value;`,
    'only-a.js': `export const onlyA = () => 'shared with lazy a';`,
    'only-b.js': `export const onlyB = () => 'shared with lazy b';`,
    'lazy-a.js': `import { onlyA } from './only-a.js'; import { core } from './core.js'; import { lazyOnly } from './lazy-only.js';
      export const a = () => core(onlyA()) + lazyOnly();`,
    'lazy-b.js': `import { onlyB } from './only-b.js'; import { lazyOnly } from './lazy-only.js'; export const b = () => onlyB() + lazyOnly();`,
    'lazy-only.js': `export const lazyOnly = () => '+lazy';`,
  };

  it('without it, esbuild splits what the handler loads by which import() also reaches it', async () => {
    const { graph } = await bundle('unanchored', tree, []);
    expect(graph.eager.length).toBeGreaterThan(2);
  });

  it('puts everything the handler loads in one chunk, leaves the import() code lazy, and runs alike', async () => {
    const { outdir, modules, graph } = await bundle('anchored', tree, [plugin('eager-chunk-anchor')]);
    expect(graph.eager).toHaveLength(2);
    const eagerCode = graph.eager.map((path) => modules.get(path)!).join('\n');
    expect(eagerCode).not.toContain('+lazy');
    expect(graph.lazy.map((path) => modules.get(path)!).join('\n')).toContain('+lazy');
    const { handler } = await import(pathToFileURL(join(outdir, 'entry.mjs')).href);
    expect(await handler('a')).toBe('core:core:shared with lazy a+lazy');
    expect(await handler('b')).toBe('core:shared with lazy b+lazy');
    expect(await handler('none')).toBe('core:shared with lazy ashared with lazy b');
  });

  it("carries an import() target's default export, an ES module's or a CommonJS one's", async () => {
    const { outdir } = await bundle(
      'defaults',
      {
        'entry.js': `export const handler = async () => [(await import('./esm.js')).default, (await import('./cjs.cjs')).default.name, (await import('./esm.js')).named];`,
        'esm.js': `export default 'esm default'; export const named = 'esm named';`,
        'cjs.cjs': `module.exports = { name: 'cjs default' };`,
      },
      [plugin('eager-chunk-anchor')],
    );
    const { handler } = await import(pathToFileURL(join(outdir, 'entry.mjs')).href);
    expect(await handler()).toEqual(['esm default', 'cjs default', 'esm named']);
  });
});

describe('lazy-web-streams-for-middy', () => {
  const tree = {
    'entry.js': `export { ReadableStream as Middys } from './node_modules/@middy/core/index.js';
      export { ReadableStream as Others } from 'node:stream/web';`,
    'node_modules/@middy/core/index.js': `export { ReadableStream } from 'node:stream/web';`,
  };

  it("answers middy's instanceof as node:stream/web would, without importing it for middy", async () => {
    const { outdir, modules } = await bundle('web-streams', tree, [plugin('lazy-web-streams-for-middy')]);
    const code = [...modules.values()].join('\n');
    // one import left: the other module's, which the plugin does not touch
    expect(code.match(/from\s*["']node:stream\/web["']/g)).toHaveLength(1);
    const { Middys, Others } = await import(pathToFileURL(join(outdir, 'entry.mjs')).href);
    expect(new Others() instanceof Middys).toBe(true);
    expect(new ReadableStream() instanceof Middys).toBe(true);
    expect({} instanceof Middys).toBe(false);
    expect((null as unknown as object) instanceof Middys).toBe(false);
  });
});
