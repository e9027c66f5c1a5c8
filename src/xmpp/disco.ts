// XEP-0030 disco#info and disco#items, with the command list filtered by the same access predicate as execution.
import { NS_COMMANDS } from '../adhoc/ns.js';
import { isListed, offered } from '../commands/access.js';
import type { Runtime } from '../runtime/runtime.js';
import { NS_DATA } from '../forms/dataform.js';
import { errorElement } from './errors.js';
import { xml, type Element } from './xml.js';

export const NS_DISCO_INFO = 'http://jabber.org/protocol/disco#info';
export const NS_DISCO_ITEMS = 'http://jabber.org/protocol/disco#items';

const FEATURES = [NS_DISCO_INFO, NS_DISCO_ITEMS, NS_COMMANDS, NS_DATA, 'http://jabber.org/protocol/xdata-validate'];

export async function discoInfo(rt: Runtime, from: string, query: Element): Promise<Element> {
  const node = query.attrs.node as string | undefined;
  if (node === NS_COMMANDS) {
    return xml(
      'query',
      { xmlns: NS_DISCO_INFO, node },
      xml('identity', { category: 'automation', type: 'command-list', name: 'Commands' }),
    );
  }
  if (node) {
    const cmd = rt.registry.get(node);
    const who = rt.requester(from);
    if (!cmd || cmd.chatOnly || !isListed(cmd, who, await rt.deps.accountState(who.bare))) return errorElement('item-not-found');
    return xml(
      'query',
      { xmlns: NS_DISCO_INFO, node },
      xml('identity', { category: 'automation', type: 'command-node', name: cmd.name }),
      xml('feature', { var: NS_COMMANDS }),
      xml('feature', { var: NS_DATA }),
    );
  }
  return xml(
    'query',
    { xmlns: NS_DISCO_INFO },
    xml('identity', { category: 'component', type: 'generic', name: 'Account bot' }),
    xml('identity', { category: 'automation', type: 'command-list', name: 'Account commands' }),
    ...FEATURES.map((f) => xml('feature', { var: f })),
  );
}

export async function discoItems(rt: Runtime, from: string, to: string, query: Element): Promise<Element> {
  const node = query.attrs.node as string | undefined;
  if (node !== NS_COMMANDS) return xml('query', { xmlns: NS_DISCO_ITEMS, ...(node ? { node } : {}) });
  const who = rt.requester(from);
  const state = await rt.deps.accountState(who.bare);
  const listed = offered(rt.registry.commands, who, state);
  return xml('query', { xmlns: NS_DISCO_ITEMS, node }, ...listed.map((c) => xml('item', { jid: to, node: c.node, name: c.name })));
}
