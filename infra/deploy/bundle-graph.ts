import { posix } from 'node:path';

/**
 * The module graph of one function's package: esbuild with `splitting` writes the handler and
 * chunk files beside it, which import each other statically (loaded with the handler) or with
 * `import()` (loaded on first call). What a cold start compiles is the handler and its static
 * closure; the budget in docs/deploy.md is on those bytes. Read from the minified output, as
 * esbuild writes it: `import{a as b}from"./handler.chunk-X.mjs"`, `import"./x.mjs"`,
 * `export*from"./x.mjs"`, `import("./x.mjs")`. Only relative specifiers are followed; bare
 * ones (node:*, the banner's `module`) are the runtime's.
 */

const STATIC_IMPORT = /\b(?:import|export)\s*(?:[\w$*{}\s,]*?\bfrom\s*)?["'](\.\.?\/[^"']+)["']/g;
const DYNAMIC_IMPORT = /\bimport\(\s*["'](\.\.?\/[^"']+)["']\s*\)/g;

export interface ModuleImports {
  static: string[];
  dynamic: string[];
}

/** The relative specifiers a module imports, each resolved against the module's own path. */
export function importsOf(path: string, code: string): ModuleImports {
  const resolve = (specifier: string) => posix.normalize(posix.join(posix.dirname(path), specifier));
  const all = (pattern: RegExp) => [...new Set([...code.matchAll(pattern)].map((m) => resolve(m[1]!)))];
  return { static: all(STATIC_IMPORT), dynamic: all(DYNAMIC_IMPORT) };
}

export interface ModuleGraph {
  /** the entry and every module it imports statically, transitively: loaded with the entry */
  eager: string[];
  /** modules reached only through some import(): loaded on first call */
  lazy: string[];
  /** modules in the package that no import reaches */
  unreachable: string[];
}

/**
 * The graph from `entry` over `modules` (path -> code). An import naming no module of the
 * package throws, naming the importer and the specifier: Lambda would fail the same import.
 */
export function moduleGraph(entry: string, modules: ReadonlyMap<string, string>): ModuleGraph {
  const imports = new Map<string, ModuleImports>();
  const importsFor = (path: string): ModuleImports => {
    let found = imports.get(path);
    if (found === undefined) {
      const code = modules.get(path);
      if (code === undefined) throw new Error(`module graph: no module ${path} in the package`);
      found = importsOf(path, code);
      for (const target of [...found.static, ...found.dynamic]) {
        if (!modules.has(target)) throw new Error(`${path} imports ${target}, which is not in the package`);
      }
      imports.set(path, found);
    }
    return found;
  };
  const closure = (roots: string[], follow: (m: ModuleImports) => string[]) => {
    const seen = new Set<string>();
    const pending = [...roots];
    for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
      if (seen.has(path)) continue;
      seen.add(path);
      pending.push(...follow(importsFor(path)));
    }
    return seen;
  };
  const eager = closure([entry], (m) => m.static);
  const reachable = closure([entry], (m) => [...m.static, ...m.dynamic]);
  const sorted = (paths: Iterable<string>) => [...paths].sort();
  return {
    eager: [entry, ...sorted([...eager].filter((path) => path !== entry))],
    lazy: sorted([...reachable].filter((path) => !eager.has(path))),
    unreachable: sorted([...modules.keys()].filter((path) => !reachable.has(path))),
  };
}

const STATIC_BUILTIN_IMPORT =
  /\b(?:import|export)\s*(?:[\w$*{}\s,]*?\bfrom\s*)?["']((?:node:)?[a-z_]+(?:\/[a-z_]+)?)["']/g;

/**
 * The Node builtins the modules import statically, sorted, each once (`node:zlib` and `zlib`
 * alike): a bundle leaves nothing else bare, so these are what loading the modules costs the
 * runtime beyond the bundle's own code.
 */
export function builtinImportsOf(codes: Iterable<string>): string[] {
  const builtins = new Set<string>();
  for (const code of codes) {
    for (const match of code.matchAll(STATIC_BUILTIN_IMPORT)) builtins.add(match[1]!.replace(/^node:/, ''));
  }
  return [...builtins].sort().map((name) => `node:${name}`);
}
