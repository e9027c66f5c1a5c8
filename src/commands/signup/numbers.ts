// What signup says and does when the number chosen or held is gone.
import { formatTel } from '../../domain/phone.js';
import type { Settled } from '../contract.js';
import type { PurchaseData } from '../payment/data.js';
import { finish } from '../views.js';

/** Back to the list (`choose`), holding nothing, with a word why; without a list to go back to, the end. */
export function backToChoose<S extends string>(data: PurchaseData, text: string, choose: S | undefined): Settled<S, PurchaseData> {
  const { reserved: _held, choice: _chosen, ...rest } = data;
  return choose ? { to: choose, data: rest, notes: [{ type: 'warn', text }] } : finish(text, 'warn');
}

export const notAvailableAnyMore = (tel: string) => `Sorry, ${formatTel(tel)} is not available any more. Please choose another number.`;
