// `npm start`: run the compiled bot (dist/main.js), building it first when dist/ is missing or older than the
// sources, so a fresh checkout or an update starts without a separate step.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

function mtime(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

const built = mtime(join(root, 'dist/main.js'));
const sources = Math.max(newest(join(root, 'src')), mtime(join(root, 'package-lock.json')));
if (built === 0 || built < sources) {
  const { buildDist } = await import('./build.mjs');
  await buildDist();
}
await import(join(root, 'dist/main.js'));
