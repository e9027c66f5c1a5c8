// The activation methods the operator may enable (ACTIVATION_METHODS); a new method is a new file listed here.
import { code } from './code.js';
import { creditCard } from './credit-card.js';
import { trial } from './trial.js';
import type { ActivationMethod } from './method.js';

export const activationMethods: Readonly<Record<string, ActivationMethod>> = {
  [trial.id]: trial,
  [creditCard.id]: creditCard,
  [code.id]: code,
};
