// XEP-0050 namespace and the XEP-0030 nodes it uses.
export const NS_COMMANDS = 'http://jabber.org/protocol/commands';
/** XEP-0066 out-of-band data: a link Cheogram opens in place. */
export const NS_OOB = 'jabber:x:oob';
