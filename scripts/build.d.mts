// Types for scripts/build.mjs (plain JavaScript so that `npm start` runs it without tsx).
/** Compile the bot to dist/ (see build.mjs). */
export function buildDist(): Promise<void>;
