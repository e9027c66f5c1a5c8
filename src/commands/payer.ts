// What a leaf account is told of the account that pays for it, and what its main chooses to show of itself.
import type { LeafOf } from '../domain/account-state.js';
import { formatTel } from '../domain/phone.js';
import type { Field } from '../forms/types.js';
import type { ViewCtx } from './contract.js';

/** How a leaf names its payer: the payer's number, or their JID if they chose so. */
export async function payerName(ctx: ViewCtx, leafOf: LeafOf): Promise<string> {
  if (leafOf.show === 'jid') return leafOf.main;
  const main = await ctx.deps.accountState(leafOf.main);
  return 'tel' in main ? formatTel(main.tel) : 'the account that pays for you';
}

/** What a main chooses to show the accounts it pays for of itself: its number (the default) or its JID. */
export const showField: Field = {
  type: 'list-single',
  var: 'show',
  label: 'What they see of you',
  required: true,
  options: [
    { value: 'number', label: 'My phone number' },
    { value: 'jid', label: 'My address (JID)' },
  ],
  value: 'number',
};
