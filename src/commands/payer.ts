// What a leaf account is told of the account that pays for it.
import type { LeafOf } from '../domain/account-state.js';
import { formatTel } from '../domain/phone.js';
import type { ViewCtx } from './contract.js';

/** How a leaf names its payer: the payer's number, or their JID if they chose so. */
export async function payerName(ctx: ViewCtx, leafOf: LeafOf): Promise<string> {
  if (leafOf.show === 'jid') return leafOf.main;
  const main = await ctx.deps.accountState(leafOf.main);
  return 'tel' in main ? formatTel(main.tel) : 'the account that pays for you';
}
