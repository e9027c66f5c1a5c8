/**
 * A test XMPP user on the harness Prosody, built on @xmpp/client 0.14.
 *
 *   const u = await connectUser();                          // anonymous, fresh JID on anon.localhost
 *   const a = await connectUser({ user: 'alice' });         // alice@localhost, password 'pw'
 *   await u.say('bot3.localhost', 'hello');
 *   const { body } = await u.nextMessage({ from: 'bot3.localhost' });
 *   const res = await u.iq(xml('iq', { type: 'set', to: 'bot3.localhost' }, ...));  // result OR error stanza
 */
import { randomUUID } from 'node:crypto';
import { client, xml, type Client } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { inject } from 'vitest';

export { xml };
export type { Element };

export interface ConnectOptions {
  /** Local part on `localhost`; omit for an anonymous login on `anon.localhost`. */
  user?: string;
  /** Defaults to 'pw' (the harness password). */
  password?: string;
  /** Resource to bind (default: server-assigned). */
  resource?: string;
  /** Send initial presence (default true). */
  presence?: boolean;
  /** Another server's client port (default: the test bed's Prosody). */
  c2sPort?: number;
}

export interface ReceivedMessage {
  body: string;
  stanza: Element;
}

export interface TestUser {
  /** Full JID, e.g. `abc123@anon.localhost/xyz`. */
  readonly jid: string;
  /** Bare JID, e.g. `abc123@anon.localhost`. */
  readonly bare: string;
  /** The underlying @xmpp/client entity, for anything not covered here. */
  readonly xmpp: Client;
  /**
   * Sends an iq (type get/set; an id is added if missing) and resolves with the
   * whole response stanza, including type='error' responses. Rejects only on timeout.
   */
  iq(el: Element, timeoutMs?: number): Promise<Element>;
  send(el: Element): Promise<void>;
  /** Sends `<message type='chat' to=…><body>…</body></message>`. */
  say(to: string, body: string): Promise<void>;
  /**
   * Next received message with a body, in arrival order (messages that arrived
   * before anyone waited are buffered). `from` matches the full JID, or the bare
   * JID / domain when given without a resource. Default timeout 5000 ms.
   */
  nextMessage(opts?: { from?: string; timeout?: number }): Promise<ReceivedMessage>;
  /** Messages received but not yet consumed by nextMessage(). */
  pendingMessages(): ReceivedMessage[];
  /** Every stanza received, in order (for ad-hoc assertions). */
  readonly received: Element[];
  stop(): Promise<void>;
}

const DEFAULT_TIMEOUT = 5000;
let idCounter = 0;

function bareOf(jid: string): string {
  const slash = jid.indexOf('/');
  return slash === -1 ? jid : jid.slice(0, slash);
}

function fromMatches(stanzaFrom: string | undefined, wanted: string | undefined): boolean {
  if (wanted === undefined) return true;
  if (stanzaFrom === undefined) return false;
  if (stanzaFrom === wanted) return true;
  return !wanted.includes('/') && bareOf(stanzaFrom) === wanted;
}

export async function connectUser(opts: ConnectOptions = {}): Promise<TestUser> {
  const c2sPort = opts.c2sPort ?? inject('c2sPort');
  const anonymous = opts.user === undefined;
  const domain = anonymous ? 'anon.localhost' : 'localhost';
  const username = opts.user;
  const password = anonymous ? undefined : (opts.password ?? 'pw');

  const userAgent = xml('user-agent', { id: randomUUID() });
  const xmpp = client({
    service: `xmpp://127.0.0.1:${c2sPort}`,
    domain,
    ...(opts.resource !== undefined ? { resource: opts.resource } : {}),
    // Pick the SASL mechanism ourselves: ANONYMOUS, or PLAIN (allowed over plain TCP
    // on the test server). SCRAM-SHA-1 also works here, but PLAIN is one round trip
    // and immune to the sasl-scram-sha-1 regressions noted in DEPENDENCY-NOTES.
    credentials: async (authenticate, mechanisms) => {
      if (anonymous) {
        if (!mechanisms.includes('ANONYMOUS')) throw new Error(`server does not offer ANONYMOUS (${mechanisms.join(',')})`);
        await authenticate({}, 'ANONYMOUS', userAgent);
      } else {
        const mech = mechanisms.includes('PLAIN') ? 'PLAIN' : mechanisms[0];
        if (mech === undefined) throw new Error('server offers no SASL mechanism');
        await authenticate({ username: username!, password: password! }, mech, userAgent);
      }
    },
  });
  // A test user must not silently come back (possibly with another JID).
  xmpp.reconnect.stop();

  let label = anonymous ? 'anon' : `${username}@${domain}`;
  xmpp.on('error', (err: Error) => {
    console.warn(`[test user ${label}] xmpp error: ${err.message}`);
  });

  const received: Element[] = [];
  const queue: ReceivedMessage[] = [];
  const waiters: {
    from: string | undefined;
    resolve: (m: ReceivedMessage) => void;
  }[] = [];
  const pendingIq = new Map<string, (el: Element) => void>();

  xmpp.on('stanza', (stanza: Element) => {
    received.push(stanza);
    if (stanza.is('iq')) {
      const type = stanza.attrs.type as string | undefined;
      const id = stanza.attrs.id as string | undefined;
      if ((type === 'result' || type === 'error') && id !== undefined) {
        const done = pendingIq.get(id);
        if (done) {
          pendingIq.delete(id);
          done(stanza);
        }
      }
      return;
    }
    if (stanza.is('message')) {
      const body = stanza.getChildText('body');
      if (body === null || body === undefined) return;
      const msg: ReceivedMessage = { body, stanza };
      const from = stanza.attrs.from as string | undefined;
      const i = waiters.findIndex((w) => fromMatches(from, w.from));
      if (i !== -1) {
        const [w] = waiters.splice(i, 1);
        w!.resolve(msg);
      } else {
        queue.push(msg);
      }
    }
  });

  try {
    await withTimeout(xmpp.start(), 10_000, `login as ${label}`);
  } catch (err) {
    await xmpp.stop().catch(() => {});
    throw err;
  }
  const jid = xmpp.jid?.toString();
  if (!jid) throw new Error(`login as ${label}: no JID after going online`);
  label = jid;
  if (opts.presence !== false) await xmpp.send(xml('presence'));

  const user: TestUser = {
    jid,
    bare: bareOf(jid),
    xmpp,
    received,

    iq(el, timeoutMs = DEFAULT_TIMEOUT) {
      if (el.attrs.id === undefined) el.attrs.id = `t${++idCounter}-${Date.now().toString(36)}`;
      const id = String(el.attrs.id);
      return new Promise<Element>((resolve, reject) => {
        const timer = setTimeout(() => {
          pendingIq.delete(id);
          reject(new Error(`iq ${id} to ${String(el.attrs.to)} timed out after ${timeoutMs} ms: ${el.toString()}`));
        }, timeoutMs);
        pendingIq.set(id, (res) => {
          clearTimeout(timer);
          resolve(res);
        });
        xmpp.send(el).catch((err: unknown) => {
          clearTimeout(timer);
          pendingIq.delete(id);
          reject(err instanceof Error ? err : new Error(String(err)));
        });
      });
    },

    async send(el) {
      await xmpp.send(el);
    },

    async say(to, body) {
      await xmpp.send(xml('message', { type: 'chat', to }, xml('body', {}, body)));
    },

    nextMessage(o = {}) {
      const i = queue.findIndex((m) => fromMatches(m.stanza.attrs.from as string | undefined, o.from));
      if (i !== -1) return Promise.resolve(queue.splice(i, 1)[0]!);
      const timeout = o.timeout ?? DEFAULT_TIMEOUT;
      return new Promise<ReceivedMessage>((resolve, reject) => {
        const waiter = {
          from: o.from,
          resolve: (m: ReceivedMessage) => {
            clearTimeout(timer);
            resolve(m);
          },
        };
        const timer = setTimeout(() => {
          const k = waiters.indexOf(waiter);
          if (k !== -1) waiters.splice(k, 1);
          const pending = queue.map((m) => `  from ${String(m.stanza.attrs.from)}: ${JSON.stringify(m.body)}`).join('\n');
          reject(
            new Error(
              `${jid}: no message${o.from ? ` from ${o.from}` : ''} within ${timeout} ms` +
                (pending ? `; unconsumed messages:\n${pending}` : ''),
            ),
          );
        }, timeout);
        waiters.push(waiter);
      });
    },

    pendingMessages() {
      return [...queue];
    },

    async stop() {
      if (xmpp.status === 'offline') return;
      try {
        await withTimeout(xmpp.stop(), 3000, `stop ${jid}`);
      } catch {
        /* best effort: the socket is gone either way */
      }
    },
  };
  return user;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
