// The Form model as a schema, to read back a form the bot stored (a session's last shown step) without a cast.
import { z } from 'zod';
import type { Field, Form, Option } from './types.js';

const option: z.ZodType<Option> = z.object({ value: z.string(), label: z.string() });
const base = { var: z.string(), label: z.string().optional(), desc: z.string().optional(), required: z.boolean().optional() };
const validation = z.object({
  datatype: z.enum(['xs:string', 'xs:integer', 'xs:date']).optional(),
  range: z.object({ min: z.number().optional(), max: z.number().optional() }).optional(),
  regex: z.string().optional(),
});

export const fieldSchema: z.ZodType<Field> = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('boolean'), value: z.boolean().optional() }),
  z.object({ type: z.literal('fixed'), var: z.string().optional(), label: z.string().optional(), value: z.string() }),
  z.object({ ...base, type: z.literal('hidden'), value: z.string() }),
  z.object({ ...base, type: z.literal('jid-single'), value: z.string().optional() }),
  z.object({ ...base, type: z.literal('jid-multi'), value: z.array(z.string()).optional() }),
  z.object({ ...base, type: z.enum(['text-single', 'text-private']), value: z.string().optional(), validate: validation.optional() }),
  z.object({ ...base, type: z.literal('text-multi'), value: z.array(z.string()).optional() }),
  z.object({
    ...base,
    type: z.literal('list-single'),
    options: z.array(option),
    open: z.boolean().optional(),
    value: z.string().optional(),
  }),
  z.object({ ...base, type: z.literal('list-multi'), options: z.array(option), value: z.array(z.string()).optional() }),
]);

export const formSchema: z.ZodType<Form> = z.object({
  title: z.string().optional(),
  instructions: z.array(z.string()).optional(),
  fields: z.array(fieldSchema),
});
