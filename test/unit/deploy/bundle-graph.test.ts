import { describe, expect, it } from 'vitest';
import { builtinImportsOf, importsOf, moduleGraph } from '../../../infra/deploy/bundle-graph.js';

/** Module graphs as esbuild writes them (minified, `splitting`), read back from the code. */

describe('importsOf', () => {
  it.each([
    {
      name: 'a named static import of a chunk',
      code: 'import{a as b,c}from"./handler.chunk-AB12.mjs";b(c);',
      static: ['f/handler.chunk-AB12.mjs'],
      dynamic: [],
    },
    {
      name: 'a bare side-effect import and a namespace import',
      code: 'import"./x.mjs";import*as y from"./y.mjs";',
      static: ['f/x.mjs', 'f/y.mjs'],
      dynamic: [],
    },
    {
      name: 'a re-export',
      code: 'export*from"./x.mjs";export{a}from"./z.mjs";',
      static: ['f/x.mjs', 'f/z.mjs'],
      dynamic: [],
    },
    {
      name: 'import() is dynamic, not static',
      code: 'const e=async()=>(await import("./handler.ec2-XY.mjs")).c;',
      static: [],
      dynamic: ['f/handler.ec2-XY.mjs'],
    },
    {
      name: "bare specifiers are the runtime's: the banner, node: modules",
      code: "import { createRequire } from 'module';import{a}from\"node:crypto\";const m=await import('node:zlib');",
      static: [],
      dynamic: [],
    },
    {
      name: 'a path up a folder is resolved, and a repeated import counted once',
      code: 'import"../shared/a.mjs";import"../shared/a.mjs";',
      static: ['shared/a.mjs'],
      dynamic: [],
    },
    {
      name: 'export without from and import.meta are no imports',
      code: 'const a=1;export{a};const u=import.meta.url;',
      static: [],
      dynamic: [],
    },
  ])('$name', ({ code, static: eager, dynamic }) => {
    expect(importsOf('f/handler.mjs', code)).toEqual({ static: eager, dynamic });
  });
});

describe('moduleGraph', () => {
  const modules = new Map([
    ['f/handler.mjs', 'import{a}from"./handler.chunk-A.mjs";const l=()=>import("./handler.ec2-E.mjs");'],
    ['f/handler.chunk-A.mjs', 'import"./handler.chunk-B.mjs";export const a=1;'],
    ['f/handler.chunk-B.mjs', 'export const b=2;'],
    // lazy, and importing an eager chunk statically: that one stays eager
    ['f/handler.ec2-E.mjs', 'import"./handler.chunk-B.mjs";import"./handler.chunk-C.mjs";'],
    ['f/handler.chunk-C.mjs', 'export const c=3;'],
    ['f/handler.bowser-D.mjs', 'export const d=4;'],
  ]);

  it('splits the eager closure, the chunks only import() reaches, and the orphans', () => {
    expect(moduleGraph('f/handler.mjs', modules)).toEqual({
      eager: ['f/handler.mjs', 'f/handler.chunk-A.mjs', 'f/handler.chunk-B.mjs'],
      lazy: ['f/handler.chunk-C.mjs', 'f/handler.ec2-E.mjs'],
      unreachable: ['f/handler.bowser-D.mjs'],
    });
  });

  it.each([
    {
      name: 'a static import of a missing chunk',
      graph: new Map([['f/handler.mjs', 'import"./handler.chunk-Z.mjs";']]),
      error: 'f/handler.mjs imports f/handler.chunk-Z.mjs, which is not in the package',
    },
    {
      name: 'an import() of a missing chunk, deep in a lazy one',
      graph: new Map([
        ['f/handler.mjs', 'import("./l.mjs");'],
        ['f/l.mjs', 'import("./gone.mjs");'],
      ]),
      error: 'f/l.mjs imports f/gone.mjs, which is not in the package',
    },
    {
      name: 'no entry module',
      graph: new Map([['f/other.mjs', '']]),
      error: 'module graph: no module f/handler.mjs in the package',
    },
  ])('refuses $name, naming the importer and the file', ({ graph, error }) => {
    expect(() => moduleGraph('f/handler.mjs', graph)).toThrow(error);
  });
});

describe('builtinImportsOf', () => {
  it.each([
    {
      name: 'named, namespace and side-effect imports of builtins, with and without node:',
      codes: [
        'import{createHash as a}from"node:crypto";import*as z from"zlib";import"node:stream/promises";',
      ],
      builtins: ['node:crypto', 'node:stream/promises', 'node:zlib'],
    },
    {
      name: "the banner's createRequire, as serverless.yml writes it",
      codes: ["import { createRequire } from 'module'; const require = createRequire(import.meta.url);"],
      builtins: ['node:module'],
    },
    {
      name: 'each builtin once over several modules, the same one spelt both ways',
      codes: [
        'import{gzipSync as a}from"node:zlib";',
        'import{gunzipSync as b}from"zlib";export*from"node:os";',
      ],
      builtins: ['node:os', 'node:zlib'],
    },
    {
      name: "neither chunks, nor import(), nor a package's name in an error message",
      codes: [
        'import{a}from"./handler.chunk-A.mjs";const e=()=>import("./handler.ec2-B.mjs");',
        'throw new Error(\'register it with [import "@aws-sdk/signature-v4-crt";]\');',
      ],
      builtins: [],
    },
  ])('$name', ({ codes, builtins }) => {
    expect(builtinImportsOf(codes)).toEqual(builtins);
  });
});
