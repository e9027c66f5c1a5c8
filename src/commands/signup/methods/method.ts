// An activation method offered at the options step (trial with approval, card; codes in a later issue).
import type { AccountState } from '../../../domain/account-state.js';
import type { Ctx, Outcome } from '../../contract.js';
import type { PurchaseData } from '../../payment/data.js';

/** The steps of the host command a method may lead to. */
export interface MethodTargets<S extends string> {
  /** Back to choosing a number (signup only). */
  readonly choose?: S;
  readonly plan: S;
  readonly pay: S;
  /** Where a code is asked for (signup only). */
  readonly code?: S;
}

export interface ActivationMethod {
  /** The `activation_method` value. */
  readonly id: string;
  readonly label: string;
  /** Whether choosing it ends the command (XEP-0050 `complete`) rather than leading to more steps (`next`). */
  readonly finishes: boolean;
  /** Whether to offer it to someone in this state. */
  readonly offers: (state: AccountState) => boolean;
  /** Act on the choice; `data.reserved` is held by this session. */
  activate<S extends string>(ctx: Ctx, data: PurchaseData, to: MethodTargets<S>): Promise<Outcome<S, PurchaseData>>;
}
