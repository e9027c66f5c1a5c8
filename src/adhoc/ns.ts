// XEP-0050 namespace and the XEP-0030 nodes it uses.
export const NS_COMMANDS = 'http://jabber.org/protocol/commands';
