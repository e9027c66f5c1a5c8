// For commands that carry nothing between steps.
import { z } from 'zod';
import type { DataSpec } from './contract.js';

export type NoData = Record<string, never>;
export const noData: DataSpec<NoData> = { version: 1, schema: z.record(z.string(), z.never()), initial: {} };
