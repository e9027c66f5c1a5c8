#!/usr/bin/env node
// Fails when a forbidden import appears: `node scripts/check-imports.mjs` (npm run check:imports). The rules are the
// table at the top of scripts/import-rules.mjs. Exit 0 when clean, 1 on any violation, 2 when it could not run.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHECKED, SOURCE_EXTENSIONS, formatViolation, violations } from './import-rules.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Checked folders, plus test/ so that specifiers into it resolve to real files. */
const FOLDERS = [...CHECKED, 'test/'];
const SKIP = new Set(['node_modules', '.tmp', '.demo', 'dist', '.git']);

function walk(dir, out) {
  let names;
  try {
    names = readdirSync(dir);
  } catch (e) {
    if (e.code === 'ENOENT') return out;
    throw e;
  }
  for (const name of names.sort()) {
    if (SKIP.has(name)) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (SOURCE_EXTENSIONS.some((e) => name.endsWith(e))) out.push(full);
  }
  return out;
}

try {
  const fileMap = {};
  for (const folder of FOLDERS) {
    for (const full of walk(join(ROOT, folder), [])) fileMap[relative(ROOT, full).split(sep).join('/')] = readFileSync(full, 'utf8');
  }
  const checked = Object.keys(fileMap).filter((p) => CHECKED.some((c) => p.startsWith(c))).length;
  const found = violations(fileMap);
  for (const v of found) console.log(formatViolation(v));
  if (found.length) {
    const files = new Set(found.map((v) => v.file)).size;
    console.log(
      `imports: ${found.length} forbidden import${found.length === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'} (${checked} files checked)`,
    );
    process.exitCode = 1;
  } else {
    console.log(`imports: ${checked} files checked, no forbidden import`);
  }
} catch (e) {
  console.error(`check-imports: ${e instanceof Error ? e.stack : e}`);
  process.exitCode = 2;
}
