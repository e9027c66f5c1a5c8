// An activation method offered at the options step (trial with approval, card; codes in a later issue).
import type { AccountState } from '../../account-state.js';
import type { Ctx, Data, Outcome } from '../../types.js';

export interface ActivationMethod {
  /** The `activation_method` value. */
  readonly id: string;
  readonly label: string;
  /** Whether choosing it ends the command (XEP-0050 `complete`) rather than leading to more steps (`next`). */
  readonly finishes: boolean;
  /** Whether to offer it to someone in this state. */
  readonly offers: (state: AccountState) => boolean;
  /** Act on the choice; `data.tel` is reserved by this session. */
  readonly activate: (ctx: Ctx, data: SignupData) => Promise<Outcome>;
}

export type Choice = {
  readonly tel: string;
  readonly rateCentre: string;
  readonly region: string;
};

export type SignupData = Data & {
  readonly query?: string;
  readonly choice?: Choice;
  /** The number this session holds a reservation on. */
  readonly reserved?: string;
};
