// Which field a chat message asks: chat asks one thing per message, the required inputs in order.
import type { Field, FieldType } from '../forms/types.js';
import { isInputField } from '../forms/types.js';
import type { FormView } from '../commands/contract.js';

export type Question = Extract<Field, { var: string; type: Exclude<FieldType, 'fixed' | 'hidden'> }>;

/** Required input fields not yet answered; if none is required, the first input field. */
export function nextQuestion(
  view: { readonly form: Pick<FormView['form'], 'fields'> },
  answered: Readonly<Record<string, unknown>>,
): Question | undefined {
  const inputs = view.form.fields.filter(isInputField) as Question[];
  const required = inputs.filter((f) => f.required);
  if (required.length === 0) return answered[inputs[0]?.var ?? ''] === undefined ? inputs[0] : undefined;
  return required.find((f) => answered[f.var] === undefined);
}
