// Which import may go where: the rule table, a small import finder and the check itself. Pure: no file system, no
// dependencies. scripts/check-imports.mjs is the CLI around it; test/unit/import-rules.test.ts tests it.

/** Where the rules apply. test/ is read (so specifiers resolve to real files) but nothing in it is checked. */
export const CHECKED = ['src/', 'bin/', 'scripts/', 'bench/'];

const ADAPTERS = ['src/adhoc/', 'src/fallback/', 'src/xmpp/', 'src/web/'];

/**
 * One rule: files under `from` (path prefixes) may not import …
 *   forbid:          … our files under these prefixes;
 *   onlyWithin:      … any of our files outside these prefixes;
 *   onlyPackages:    … any npm package but these (a trailing ':' or '/' matches a prefix, e.g. 'node:');
 *   package/allowIn: … the npm package `package`, unless the importing file is under `allowIn`.
 * `why` is printed with each violation.
 */
export const RULES = [
  {
    from: ['src/store/', 'src/payments/', 'src/billing/'],
    forbid: ['src/commands/', 'src/runtime/', ...ADAPTERS],
    why: 'store, payments and billing sit below commands, runtime and the adapters',
  },
  {
    from: ['src/billing/'],
    forbid: ['src/store/'],
    why: 'billing works through the domain ports, not on Redis',
  },
  { from: ['src/commands/'], forbid: ADAPTERS, why: 'commands must not know the adapters or transports' },
  { from: ['src/runtime/'], forbid: ADAPTERS, why: 'runtime must not know the adapters or transports' },
  { from: ['src/domain/'], onlyWithin: ['src/domain/'], why: 'src/domain imports nothing of ours outside src/domain' },
  { from: ['src/domain/'], onlyPackages: ['node:'], why: 'src/domain uses no npm package, only node: builtins' },
  { from: CHECKED, forbid: ['test/'], why: 'production code must not import test code' },
  { from: CHECKED, package: 'ioredis', allowIn: ['src/store/'], why: 'ioredis only inside src/store' },
  { from: CHECKED, package: 'stripe', allowIn: ['src/payments/'], why: 'stripe only inside src/payments' },
  { from: CHECKED, package: 'pino', allowIn: ['src/log.ts'], why: 'pino only inside src/log.ts (the Log port elsewhere)' },
  {
    from: CHECKED,
    package: 'prom-client',
    allowIn: ['src/metrics.ts'],
    why: 'prom-client only inside src/metrics.ts (the Metrics port elsewhere)',
  },
];

export const SOURCE_EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs'];

// ---------------------------------------------------------------------------------------------------------------
// Finding imports: a small tokenizer that skips comments, strings, template literals and regular expressions, then
// picks out `import … from 's'`, `import 's'`, `export … from 's'`, `import type …`, `import('s')` and
// `import x = require('s')` from the token stream.

const ID_START = /[A-Za-z_$\u0080-\uffff]/;
const ID_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
/** Keywords after which a `/` starts a regular expression rather than a division. */
const REGEX_AFTER_WORD = new Set([
  'return',
  'typeof',
  'instanceof',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'case',
  'do',
  'else',
  'yield',
  'await',
]);

/** @returns {{ t: 'id' | 'str' | 'punct', v: string, line: number }[]} */
function tokenize(src) {
  const tokens = [];
  let i = 0;
  let line = 1;
  const n = src.length;
  /** Brace depth stack for template literals: each entry is the brace depth at which a `${` opened. */
  const templateStack = [];
  let braceDepth = 0;

  const prevAllowsRegex = () => {
    const p = tokens[tokens.length - 1];
    if (!p) return true;
    if (p.t === 'str') return false;
    if (p.t === 'id') return REGEX_AFTER_WORD.has(p.v);
    return !(p.v === ')' || p.v === ']' || p.v === '}');
  };

  const readTemplate = () => {
    // at the character after '`' or after the '}' closing a substitution; stops after '`' or after '${'
    while (i < n) {
      const c = src[i];
      if (c === '\\') {
        if (src[i + 1] === '\n') line++;
        i += 2;
      } else if (c === '`') {
        i++;
        return;
      } else if (c === '$' && src[i + 1] === '{') {
        i += 2;
        templateStack.push(braceDepth);
        braceDepth++;
        return;
      } else {
        if (c === '\n') line++;
        i++;
      }
    }
  };

  while (i < n) {
    const c = src[i];
    if (c === '\n') {
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v' || c === '\ufeff' || c === '\u00a0') {
      i++;
    } else if (c === '/' && src[i + 1] === '/') {
      while (i < n && src[i] !== '\n') i++;
    } else if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      for (let k = i; k < stop; k++) if (src[k] === '\n') line++;
      i = stop;
    } else if (c === '#' && i === 0 && src[1] === '!') {
      while (i < n && src[i] !== '\n') i++; // shebang
    } else if (c === "'" || c === '"') {
      const startLine = line;
      let v = '';
      i++;
      while (i < n && src[i] !== c && src[i] !== '\n') {
        if (src[i] === '\\') {
          if (src[i + 1] === '\n') line++;
          v += src[i + 1] ?? '';
          i += 2;
        } else v += src[i++];
      }
      i++;
      tokens.push({ t: 'str', v, line: startLine });
    } else if (c === '`') {
      i++;
      readTemplate();
      tokens.push({ t: 'punct', v: '`', line }); // a template is a value, never an import specifier
    } else if (c === '/' && prevAllowsRegex()) {
      let inClass = false;
      i++;
      while (i < n && src[i] !== '\n') {
        const d = src[i];
        if (d === '\\') i += 2;
        else {
          if (d === '[') inClass = true;
          else if (d === ']') inClass = false;
          else if (d === '/' && !inClass) break;
          i++;
        }
      }
      i++;
      while (i < n && ID_PART.test(src[i])) i++; // flags
      tokens.push({ t: 'punct', v: '/re/', line });
    } else if (ID_START.test(c)) {
      const start = i;
      while (i < n && ID_PART.test(src[i])) i++;
      tokens.push({ t: 'id', v: src.slice(start, i), line });
    } else if (c >= '0' && c <= '9') {
      while (i < n && /[0-9A-Za-z_.]/.test(src[i])) i++;
      tokens.push({ t: 'punct', v: '0', line });
    } else {
      if (c === '{') braceDepth++;
      else if (c === '}') {
        braceDepth--;
        if (templateStack.length && templateStack[templateStack.length - 1] === braceDepth) {
          templateStack.pop();
          i++;
          readTemplate();
          continue;
        }
      }
      if (c === '?' && src[i + 1] === '.') {
        tokens.push({ t: 'punct', v: '?.', line });
        i += 2;
        continue;
      }
      tokens.push({ t: 'punct', v: c, line });
      i++;
    }
  }
  return tokens;
}

/**
 * Every module specifier that `source` imports, with its 1-based line.
 * @param {string} source
 * @returns {{ spec: string, line: number, kind: 'import' | 'export' | 'dynamic' | 'require' }[]}
 */
export function findImports(source) {
  const tk = tokenize(source);
  const out = [];
  const is = (k, t, v) => tk[k] !== undefined && tk[k].t === t && (v === undefined || tk[k].v === v);
  /** From k at '{', the index just past its matching '}' (or -1). */
  const skipBraces = (k) => {
    let depth = 0;
    for (; k < tk.length; k++) {
      if (is(k, 'punct', '{')) depth++;
      else if (is(k, 'punct', '}') && --depth === 0) return k + 1;
      else if (is(k, 'punct', ';')) return -1;
    }
    return -1;
  };

  for (let k = 0; k < tk.length; k++) {
    const tok = tk[k];
    if (tok.t !== 'id' || (tok.v !== 'import' && tok.v !== 'export')) continue;
    const prev = tk[k - 1];
    if (prev && prev.t === 'punct' && (prev.v === '.' || prev.v === '?.')) continue; // x.import(…), x?.import
    if (tok.v === 'import') {
      if (is(k + 1, 'punct', '(')) {
        if (is(k + 2, 'str') && (is(k + 3, 'punct', ')') || is(k + 3, 'punct', ',')))
          out.push({ spec: tk[k + 2].v, line: tk[k + 2].line, kind: 'dynamic' });
        continue;
      }
      if (is(k + 1, 'str')) {
        out.push({ spec: tk[k + 1].v, line: tk[k + 1].line, kind: 'import' });
        continue;
      }
      // import [type] Default [, { … } | , * as ns] from 's' | import [type] { … } from 's' | import [type] * as ns from 's'
      // | import [type] x = require('s')
      let j = k + 1;
      while (j < tk.length) {
        if (is(j, 'punct', '{')) {
          j = skipBraces(j);
          if (j < 0) break;
        } else if (is(j, 'id', 'from') && is(j + 1, 'str')) {
          out.push({ spec: tk[j + 1].v, line: tk[j + 1].line, kind: 'import' });
          break;
        } else if (is(j, 'punct', '=') && is(j + 1, 'id', 'require') && is(j + 2, 'punct', '(') && is(j + 3, 'str')) {
          out.push({ spec: tk[j + 3].v, line: tk[j + 3].line, kind: 'require' });
          break;
        } else if (is(j, 'id') || is(j, 'punct', '*') || is(j, 'punct', ',') || is(j, 'punct', '=')) {
          j++;
        } else break;
      }
      continue;
    }
    // export [type] * [as ns] from 's' | export [type] { … } from 's'
    let j = k + 1;
    if (is(j, 'id', 'type')) j++;
    if (is(j, 'punct', '*')) {
      j++;
      if (is(j, 'id', 'as')) j += 2;
    } else if (is(j, 'punct', '{')) {
      j = skipBraces(j);
      if (j < 0) continue;
    } else continue;
    if (is(j, 'id', 'from') && is(j + 1, 'str')) out.push({ spec: tk[j + 1].v, line: tk[j + 1].line, kind: 'export' });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Resolving and checking.

/** Normalises a '/'-separated path: drops '.', applies '..'. A result starting with '../' left the repo. */
function normalize(path) {
  const parts = [];
  for (const p of path.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..' && parts.length && parts[parts.length - 1] !== '..') parts.pop();
    else parts.push(p);
  }
  return parts.join('/');
}

const dirname = (path) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');

/** The repo path a relative specifier names: `x.js` is `x.ts` when that exists (or when nothing does). */
export function resolveRelative(fromFile, spec, exists = () => false) {
  const base = normalize(`${dirname(fromFile)}/${spec}`);
  const swaps = { '.js': ['.ts', '.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'], '.jsx': ['.tsx'] };
  for (const [ext, tsExts] of Object.entries(swaps)) {
    if (!base.endsWith(ext)) continue;
    const stem = base.slice(0, -ext.length);
    const found = [...tsExts.map((e) => stem + e), base].find(exists);
    return found ?? stem + tsExts[0];
  }
  if (SOURCE_EXTENSIONS.some((e) => base.endsWith(e)) || base.endsWith('.json')) return base;
  const candidates = [...SOURCE_EXTENSIONS.map((e) => base + e), ...SOURCE_EXTENSIONS.map((e) => `${base}/index${e}`)];
  return candidates.find(exists) ?? base;
}

/** 'ioredis' for 'ioredis' and 'ioredis/built/x'; '@scope/name' for '@scope/name/sub'; 'node:fs' stays. */
export function packageName(spec) {
  if (spec.startsWith('node:')) return spec;
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const under = (path, prefixes) => prefixes.some((p) => path.startsWith(p));
const isRelative = (spec) => spec === '.' || spec === '..' || spec.startsWith('./') || spec.startsWith('../');
/** Ours but not relative: absolute paths and package.json `imports` aliases. */
const isOtherLocal = (spec) => spec.startsWith('/') || spec.startsWith('#');

/**
 * Every forbidden import in `fileMap`, in path then line order.
 * @param {Record<string, string>} fileMap repo-relative path ('src/store/redis.ts') → source text
 * @returns {{ file: string, line: number, spec: string, target: string, rule: string }[]}
 */
export function violations(fileMap) {
  const exists = (p) => Object.hasOwn(fileMap, p);
  const out = [];
  for (const file of Object.keys(fileMap).sort()) {
    const rules = RULES.filter((r) => under(file, r.from));
    if (!rules.length) continue;
    for (const { spec, line } of findImports(fileMap[file])) {
      const local = isRelative(spec) || isOtherLocal(spec);
      const target = isRelative(spec) ? resolveRelative(file, spec, exists) : local ? spec : packageName(spec);
      for (const r of rules) {
        let bad = false;
        if (r.forbid && local) bad = under(target, r.forbid);
        else if (r.onlyWithin && local) bad = !under(target, r.onlyWithin);
        else if (r.onlyPackages && !local) bad = !r.onlyPackages.some((p) => (/[:/]$/.test(p) ? target.startsWith(p) : target === p));
        else if (r.package && !local) bad = target === r.package && !under(file, r.allowIn ?? []);
        if (bad) out.push({ file, line, spec, target, rule: r.why });
      }
    }
  }
  return out;
}

/** `path:line: imports 'spec' (rule: why)` */
export const formatViolation = (v) => `${v.file}:${v.line}: imports '${v.spec}' (rule: ${v.rule})`;
