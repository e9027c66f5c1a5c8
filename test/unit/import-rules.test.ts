// scripts/import-rules.mjs: which imports scripts/check-imports.mjs reports, on small made-up file maps.
import { describe, expect, it } from 'vitest';
import { findImports, violations } from '../../scripts/import-rules.mjs';

/** The `spec`s reported for one file holding `source`. */
function reported(path: string, source: string): string[] {
  return violations({ [path]: source }).map((v) => v.spec);
}

describe('layer rules', () => {
  it('store importing commands is reported; store importing domain is not', () => {
    expect(reported('src/store/a.ts', "import { x } from '../commands/x.js';\n")).toStrictEqual(['../commands/x.js']);
    expect(reported('src/store/a.ts', "import { x } from '../domain/x.js';\n")).toStrictEqual([]);
  });

  it('src importing test/ is reported, with path, line and rule', () => {
    const found = violations({ 'src/commands/a.ts': "// head\n\nimport { h } from '../../test/harness/x.js';\n" });
    expect(found).toStrictEqual([
      {
        file: 'src/commands/a.ts',
        line: 3,
        spec: '../../test/harness/x.js',
        target: 'test/harness/x.ts',
        rule: 'production code must not import test code',
      },
    ]);
    expect(reported('scripts/demo.ts', "import '../test/harness/slot.js';")).toStrictEqual(['../test/harness/slot.js']);
    expect(reported('test/unit/a.test.ts', "import { h } from '../harness/x.js';")).toStrictEqual([]);
  });

  it('ioredis: `import type` counts outside src/store, and src/store may use it', () => {
    expect(reported('src/commands/a.ts', "import type { Redis } from 'ioredis';")).toStrictEqual(['ioredis']);
    expect(reported('src/store/a.ts', "import type { Redis } from 'ioredis';")).toStrictEqual([]);
    expect(reported('bench/run.ts', "import { Redis } from 'ioredis';")).toStrictEqual(['ioredis']);
  });

  it('stripe only in src/payments', () => {
    expect(reported('src/web/server.ts', "import Stripe from 'stripe';")).toStrictEqual(['stripe']);
    expect(reported('src/payments/stripe.ts', "import Stripe from 'stripe';")).toStrictEqual([]);
  });

  it('a dynamic import from payments into commands is reported', () => {
    expect(reported('src/payments/a.ts', "const m = await import('../commands/a.js');")).toStrictEqual(['../commands/a.js']);
  });

  it('domain imports nothing of ours outside domain and no npm package', () => {
    expect(reported('src/domain/a.ts', "import { k } from '../store/keys.js';")).toStrictEqual(['../store/keys.js']);
    expect(reported('src/domain/a.ts', "import { b } from './b.js';\nimport { c } from './sub/c.js';")).toStrictEqual([]);
    expect(reported('src/domain/a.ts', "import { randomUUID } from 'node:crypto';")).toStrictEqual([]);
    expect(reported('src/domain/a.ts', "import ltx from 'ltx';")).toStrictEqual(['ltx']);
  });

  it('commands and runtime must not import the adapters', () => {
    expect(reported('src/commands/a.ts', "export { render } from '../adhoc/render.js';")).toStrictEqual(['../adhoc/render.js']);
    expect(reported('src/runtime/a.ts', "export * from '../xmpp/xml.js';")).toStrictEqual(['../xmpp/xml.js']);
    expect(reported('src/commands/a.ts', "import { f } from '../forms/types.js';")).toStrictEqual([]);
  });
});

describe('findImports', () => {
  it('ignores comments, strings and method calls named import', () => {
    const src = [
      "// import x from '../commands/y.js'",
      "/* import('../commands/z.js') */",
      'const s = "import a from \'../commands/a.js\'";',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the `${…}` is part of the source under test
      "const t = `import('../commands/b.js') ${1 + 1} export * from '../web/c.js'`;",
      'await store.import(rows);',
      'const u = import.meta.url;',
      "const o = { import: '../commands/d.js' };",
    ].join('\n');
    expect(findImports(src)).toStrictEqual([]);
    expect(reported('src/store/a.ts', src)).toStrictEqual([]);
  });

  it('finds every form, with its line', () => {
    const src = [
      "import './side.js';",
      'import {',
      '  a,',
      '  type B,',
      "} from './ab.js';",
      "import type * as T from 'ioredis';",
      "import D, { e } from './de.js';",
      "export { f } from './f.js';",
      "export type { G } from './g.js';",
      "export * as h from './h.js';",
      "const m = () => import('./m.js');",
      "import r = require('./r.js');",
      'const re = /import "x"/g;',
    ].join('\n');
    expect(findImports(src).map((i) => [i.line, i.spec, i.kind])).toStrictEqual([
      [1, './side.js', 'import'],
      [5, './ab.js', 'import'],
      [6, 'ioredis', 'import'],
      [7, './de.js', 'import'],
      [8, './f.js', 'export'],
      [9, './g.js', 'export'],
      [10, './h.js', 'export'],
      [11, './m.js', 'dynamic'],
      [12, './r.js', 'require'],
    ]);
  });
});
