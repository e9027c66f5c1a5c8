// `npm run build`: compile the bot to dist/ with esbuild (one ES module per entry point, dependencies left to
// node_modules), and copy the Lua scripts next to it. Type checking is `npm run typecheck` (tsc --noEmit).
import { cpSync, renameSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Compile `entryPoints` ({name: path from the root}) into `outdir` as the bot runs in production: one ES module
 * each, dependencies left to node_modules, and the Lua scripts next to them.
 */
export async function buildTo(entryPoints, outdir) {
  await build({
    absWorkingDir: root,
    entryPoints,
    outdir,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
  });
  // src/store/scripts.ts reads its Lua from ./lua/ next to the module: dist/lua/ in the bundle.
  cpSync(`${root}src/store/lua`, `${outdir}/lua`, { recursive: true });
}

export async function buildDist() {
  // Built aside and moved into place, so a process starting meanwhile never loads half a build.
  const aside = `${root}dist.building-${process.pid}`;
  rmSync(aside, { recursive: true, force: true });
  await buildTo({ main: 'src/main.ts', cli: 'bin/cli.ts' }, aside);
  rmSync(`${root}dist`, { recursive: true, force: true });
  renameSync(aside, `${root}dist`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildDist();
  console.log('built dist/main.js and dist/cli.js');
}
