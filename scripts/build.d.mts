// Types for scripts/build.mjs (plain JavaScript so that `npm start` runs it without tsx).
/** Compile the bot to dist/ (see build.mjs). */
export function buildDist(): Promise<void>;
/** Compile `entryPoints` ({name: path from the root}) into `outdir` as production runs them (with the Lua scripts). */
export function buildTo(entryPoints: Record<string, string>, outdir: string): Promise<void>;
