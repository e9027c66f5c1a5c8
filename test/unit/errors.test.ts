// RFC 6120 §8.3 / XEP-0050 §4.6 errors, and XEP-0050 §3.4 <command/> replies: a Turn in, the XML a client reads out.
import { describe, expect, it } from 'vitest';
import { commandElement } from '../../src/adhoc/render.js';
import { NS_COMMANDS } from '../../src/adhoc/ns.js';
import { CONDITIONS, type Condition } from '../../src/domain/errors.js';
import { begin, proceed, type Turn } from '../../src/runtime/engine.js';
import { NS_DATA, parseDataForm } from '../../src/forms/dataform.js';
import { errorElement, NS_STANZAS } from '../../src/xmpp/errors.js';
import type { Element } from '../../src/xmpp/xml.js';
import { registry, tinyCommand, tinyCtx } from './tiny-command.js';

/** Child element names of `el`, each with its namespace. */
function kids(el: Element): string[] {
  return el.getChildElements().map((c) => `${c.name} ${c.attrs.xmlns ?? ''}`.trim());
}

describe('errorElement', () => {
  it.each<[Condition, string]>([
    ['bad-action', 'bad-action'],
    ['bad-sessionid', 'bad-sessionid'],
    ['malformed-action', 'malformed-action'],
    ['bad-payload', 'bad-payload'],
    ['bad-locale', 'bad-locale'],
  ])('%s is <bad-request/> plus <%s/> in the commands namespace, type modify', (condition, specific) => {
    const e = errorElement(condition);
    expect(e.name).toBe('error');
    expect(e.attrs.type).toBe('modify');
    expect(kids(e)).toEqual([`bad-request ${NS_STANZAS}`, `${specific} ${NS_COMMANDS}`]);
  });

  it('session-expired is <not-allowed/> plus <session-expired/>, type cancel', () => {
    const e = errorElement('session-expired');
    expect(e.attrs.type).toBe('cancel');
    expect(kids(e)).toEqual([`not-allowed ${NS_STANZAS}`, `session-expired ${NS_COMMANDS}`]);
  });

  it.each<[Condition, string, string]>([
    ['item-not-found', 'cancel', 'item-not-found'],
    ['forbidden', 'cancel', 'forbidden'],
    ['not-allowed', 'cancel', 'not-allowed'],
    ['bad-request', 'modify', 'bad-request'],
    ['service-unavailable', 'wait', 'service-unavailable'],
  ])('%s is a plain stanza error, type %s', (condition, type, stanza) => {
    const e = errorElement(condition);
    expect(e.attrs.type).toBe(type);
    expect(kids(e)).toEqual([`${stanza} ${NS_STANZAS}`]);
  });

  it('carries a human text in the stanzas namespace when given', () => {
    const e = errorElement('forbidden', 'Only admins may approve signups.');
    const text = e.getChild('text', NS_STANZAS);
    expect(text?.getText()).toBe('Only admins may approve signups.');
    expect(text?.attrs['xml:lang']).toBe('en');
    expect(errorElement('forbidden').getChild('text')).toBeUndefined();
  });

  it('maps every condition to exactly one defined stanza error', () => {
    const defined = ['bad-request', 'not-allowed', 'forbidden', 'item-not-found', 'service-unavailable', 'not-acceptable'];
    for (const c of CONDITIONS) {
      const stanza = errorElement(c)
        .getChildElements()
        .filter((k) => k.attrs.xmlns === NS_STANZAS);
      expect(
        stanza.map((k) => k.name).filter((n) => defined.includes(n)),
        c,
      ).toHaveLength(1);
    }
  });
});

describe('commandElement', () => {
  async function turns() {
    const { cmd } = tinyCommand();
    const ctx = tinyCtx();
    const first = await begin(cmd, ctx, 'alice@example.com/phone');
    const second = await proceed(cmd, first.session!, { action: 'next', values: { name: ['Ann'] } }, ctx);
    const third = await proceed(cmd, second.session!, { action: 'next', values: { plan: ['monthly'] } }, ctx);
    const done = await proceed(cmd, third.session!, { action: 'complete', values: { confirm: ['true'] } }, ctx);
    const canceled = await proceed(cmd, third.session!, { action: 'cancel' }, ctx);
    const invalid = await proceed(cmd, first.session!, { action: 'next', values: {} }, ctx);
    return { first, second, third, done, canceled, invalid };
  }

  const actionsOf = (c: Element) => {
    const a = c.getChild('actions');
    return a ? { execute: a.attrs.execute, offered: a.getChildElements().map((k) => k.name) } : undefined;
  };

  it('an executing first step: status, sessionid, <actions execute=next> with next only, and a form', async () => {
    const { first } = await turns();
    const c = commandElement(registry, 'urn:test:tiny', undefined, first);
    expect(c.name).toBe('command');
    expect(c.attrs).toMatchObject({ xmlns: NS_COMMANDS, node: 'urn:test:tiny', sessionid: 'sess-1', status: 'executing' });
    expect(actionsOf(c)).toEqual({ execute: 'next', offered: ['next'] });
    const x = c.getChild('x', NS_DATA)!;
    expect(x.attrs.type).toBe('form');
    expect(x.getChildText('title')).toBe('Your name');
    expect(x.getChildren('field').map((f) => f.attrs.var)).toEqual(['name']);
  });

  it('lists prev once there is history, and carries the step’s notes', async () => {
    const { second } = await turns();
    const c = commandElement(registry, 'urn:test:tiny', 'sess-1', second);
    expect(actionsOf(c)).toEqual({ execute: 'next', offered: ['prev', 'next'] });
    expect(c.getChildren('note').map((n) => [n.attrs.type, n.getText()])).toEqual([['info', 'Hello, Ann.']]);
  });

  it('names the stage’s default in execute', async () => {
    const { third } = await turns();
    expect(actionsOf(commandElement(registry, 'urn:test:tiny', 'sess-1', third))).toEqual({
      execute: 'complete',
      offered: ['prev', 'complete'],
    });
  });

  it('shows a validation failure as an error note, and as the form’s first field for clients that hide notes', async () => {
    const { invalid } = await turns();
    const c = commandElement(registry, 'urn:test:tiny', 'sess-1', invalid);
    expect(c.attrs.status).toBe('executing');
    expect(c.getChildren('note').map((n) => [n.attrs.type, n.getText()])).toEqual([['error', 'Name is required']]);
    const fields = c.getChild('x', NS_DATA)?.getChildren('field') ?? [];
    expect(fields.map((f) => [f.attrs.type, f.attrs.var, f.getChildText('value')])).toEqual([
      ['fixed', 'note_1', 'Name is required'],
      ['text-single', 'name', null],
    ]);
  });

  it('orders <actions/>, then notes, then the form (XEP-0050 examples)', async () => {
    const { second } = await turns();
    expect(
      commandElement(registry, 'urn:test:tiny', 'sess-1', second)
        .getChildElements()
        .map((k) => k.name),
    ).toEqual(['actions', 'note', 'x']);
  });

  it('a done turn is status completed with its notes, no actions and no form', async () => {
    const { done } = await turns();
    const c = commandElement(registry, 'urn:test:tiny', 'sess-1', done);
    expect(c.attrs).toMatchObject({ node: 'urn:test:tiny', sessionid: 'sess-1', status: 'completed' });
    expect(c.getChild('actions')).toBeUndefined();
    expect(c.getChild('x')).toBeUndefined();
    expect(c.getChildren('note').map((n) => [n.attrs.type, n.getText()])).toEqual([['info', 'Signed up Ann on monthly.']]);
  });

  it('a canceled turn says canceled', async () => {
    const { canceled } = await turns();
    const c = commandElement(registry, 'urn:test:tiny', 'sess-1', canceled);
    expect(c.attrs.status).toBe('canceled');
    expect(c.getChild('actions')).toBeUndefined();
  });

  it('a done turn with a result form carries it as <x type=result>', () => {
    const turn: Turn = {
      status: 'completed',
      view: {
        kind: 'done',
        notes: [{ type: 'info', text: 'Your account' }],
        result: { fields: [{ type: 'text-single', var: 'tel', label: 'Number', value: '+14165550100' }] },
      },
    };
    const c = commandElement(registry, 'urn:test:status', undefined, turn);
    expect(c.attrs.sessionid).toBeUndefined();
    expect(parseDataForm(c.getChild('x', NS_DATA))).toStrictEqual({ type: 'result', values: { tel: ['+14165550100'] } });
  });
});
