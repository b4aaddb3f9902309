// esbuild plugins for the Lambda bundles, loaded by serverless-esbuild (`custom.esbuild.plugins`
// in serverless.yml). Both cut what a cold start loads; docs/deploy.md ("Cold start") has the
// figures. CommonJS because serverless-esbuild loads this file with require().

const { readFile } = require('node:fs/promises');
const { isAbsolute, resolve } = require('node:path');

const ANCHORED = 'slbc-chunk-anchor';

/**
 * One eager chunk instead of a dozen. With `splitting`, esbuild puts each module in a chunk by
 * the set of entry points that reach it, and every import() target is an entry point: code the
 * handler shares with EKS only, with SQS only, with both, ... lands in a chunk per combination,
 * each a file a cold start resolves, reads and links (15 for targets). Yet every import() runs
 * after the handler has loaded, so all of the handler's code is there by then. This plugin makes
 * that visible to esbuild: each import() target is wrapped in a module that first imports the
 * function's entry point, so everything the handler reaches is reached by every entry alike and
 * goes into one chunk (handler.mjs re-exports the handler from it). What only import() reaches
 * still gets chunks of its own, loaded on first call as before. One thing this rules out: a
 * top-level `await import()` in the handler's own graph would wait on the handler itself;
 * slbc has none, and the bundle test imports the handler and every chunk in a fresh process.
 */
const eagerChunkAnchor = {
  name: 'eager-chunk-anchor',
  setup(build) {
    const { entryPoints, absWorkingDir } = build.initialOptions;
    const entries = Array.isArray(entryPoints) ? entryPoints : Object.values(entryPoints ?? {});
    if (entries.length !== 1) return; // one function per build, as serverless-esbuild runs it
    const first = typeof entries[0] === 'string' ? entries[0] : entries[0].in;
    const entry = isAbsolute(first) ? first : resolve(absWorkingDir ?? process.cwd(), first);
    build.onResolve({ filter: /.*/ }, async (args) => {
      if (args.kind !== 'dynamic-import' || args.pluginData === ANCHORED) return undefined;
      const target = await build.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: ANCHORED,
      });
      if (target.errors.length > 0 || target.external) return target;
      return { path: target.path, namespace: ANCHORED };
    });
    build.onLoad({ filter: /.*/, namespace: ANCHORED }, async (args) => {
      const target = JSON.stringify(args.path);
      // `export *` leaves out a default export: carried on its own where the module has one
      const lines = [`import ${JSON.stringify(entry)};`, `export * from ${target};`];
      if (hasDefaultExport(await readFile(args.path, 'utf8')))
        lines.push(`export { default } from ${target};`);
      return { contents: lines.join('\n'), resolveDir: process.cwd(), loader: 'js' };
    });
  },
};

/** An ES module's `export default` or `as default`, or a CommonJS module (esbuild gives it one). */
function hasDefaultExport(source) {
  if (/\bexport\s+default\b|\bas\s+default\b/.test(source)) return true;
  return !/^\s*(?:export|import)\b/m.test(source) && /\bmodule\.exports\b|\bexports\.[\w$]+\s*=/.test(source);
}

/**
 * middy's core imports `ReadableStream` from node:stream/web for its response-streaming mode,
 * only to test `instanceof`; slbc's handlers never stream, and that import costs a cold start
 * Node's whole web-streams implementation (about 2.5 ms). This stands in for it with the same
 * `instanceof` answer, reading the global ReadableStream (the same class) only when asked.
 */
const lazyWebStreamsForMiddy = {
  name: 'lazy-web-streams-for-middy',
  setup(build) {
    build.onResolve({ filter: /^(node:)?stream\/web$/ }, (args) =>
      /[\\/]@middy[\\/]core[\\/]/.test(args.importer)
        ? { path: 'stream-web', namespace: 'lazy-web-streams' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy-web-streams' }, () => ({
      contents:
        'export const ReadableStream = { [Symbol.hasInstance]: (value) => value instanceof globalThis.ReadableStream };',
      loader: 'js',
    }));
  },
};

module.exports = [eagerChunkAnchor, lazyWebStreamsForMiddy];
