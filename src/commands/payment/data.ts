// The data signup, upgrade and top-up carry between steps: what was searched and chosen, the number held, the
// plan or amount to pay. Checked by this schema whenever a session is read back.
import { z } from 'zod';
import type { DataSpec } from '../contract.js';

export const choiceSchema = z.object({ tel: z.string(), rateCentre: z.string(), region: z.string() });

export const purchaseDataSchema = z.object({
  /** The area code, number prefix or place the person searched for. */
  query: z.string().optional(),
  /** Which page of the whole list is shown (0: the first five). */
  page: z.number().int().nonnegative().optional(),
  /** Which page of a search's results is shown. */
  resultsPage: z.number().int().nonnegative().optional(),
  /** The number chosen, with its rate centre. */
  choice: choiceSchema.optional(),
  /** The number this session holds a reservation on. */
  reserved: z.string().optional(),
  /** Paid plan chosen (signup, renew, upgrade). */
  plan: z.string().optional(),
  /** Top-up amount chosen, minor units. */
  topUp: z.number().int().positive().optional(),
});

export type PurchaseData = z.infer<typeof purchaseDataSchema>;

/** Version 1 is what the first release stored (its sessions carry the same fields). */
export const purchaseData: DataSpec<PurchaseData> = { version: 1, schema: purchaseDataSchema, initial: {} };
