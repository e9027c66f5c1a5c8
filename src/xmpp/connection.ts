// XEP-0114 component connection: routing of iq/message/presence to the adapters, and safe sending.
import { component, type Component } from '@xmpp/component';
import { handleCommand } from '../adhoc/adapter.js';
import { NS_COMMANDS } from '../adhoc/ns.js';
import { UnavailableError } from '../domain/errors.js';
import type { Lease, Log } from '../domain/ports.js';
import { handleChat } from '../fallback/adapter.js';
import { sentenceFor } from '../fallback/sentences.js';
import type { Runtime } from '../runtime/runtime.js';
import { discoInfo, discoItems, NS_DISCO_INFO, NS_DISCO_ITEMS } from './disco.js';
import { errorElement } from './errors.js';
import { boundIq, NS_LIMITS } from './limits.js';
import { readIncoming } from './message.js';
import { xml, type Element } from './xml.js';

/** The chat answer to a message whose handling failed for another reason than Redis being away. */
const FAILED = 'Something went wrong on my side with that message. Please try again in a moment.';

export interface ComponentOptions {
  readonly service: string;
  readonly domain: string;
  readonly secret: string;
  /**
   * When another process holds the domain (Prosody answers `conflict`): wait and take over when it goes (true),
   * or stop as refused (false).
   */
  readonly standby: boolean;
  /** Who holds the domain: renewed while online, watched while standing by (a hint; the server decides). */
  readonly lease?: { readonly store: Lease; readonly holder: string };
}

export interface Connection {
  readonly xmpp: Component;
  /** `standby` while another process holds the domain, else the library's status (`online`, `connecting`…). */
  state(): string;
  /** Send a chat message now, or reject (not online, or the write failed): for messages kept elsewhere until sent. */
  deliver(to: string, body: string, id: string): Promise<void>;
  stop(): Promise<void>;
}

const FATAL = /not-authorized|conflict|host-unknown/;
const CONFLICT = /conflict/;

/** The lease on the domain lasts this long unrenewed: how long a standby waits after the holder dies. */
const LEASE_MS = 3000;
const RENEW_MS = 1000;
/** While standing by: how often the lease is looked at, and the backoff of tries when it says nothing. */
const WATCH_MS = 250;
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 30_000;
/** At stop, stanzas being handled get this long to finish and be answered (SIGTERM → exit within 2 s). */
const DRAIN_MS = 1500;
/** Messages kept while the link is down; past this the oldest go (logged): the outbox keeps what must not be lost. */
const QUEUE_MAX = 10_000;

export async function connect(rt: Runtime, opts: ComponentOptions, log: Log, onFatal: (why: string) => void): Promise<Connection> {
  const xmpp = component({ service: opts.service, domain: opts.domain, password: opts.secret });
  const queue: Element[] = [];

  let dropped = 0;
  function keep(el: Element): void {
    queue.push(el);
    if (queue.length > QUEUE_MAX) {
      queue.shift();
      if (dropped++ % 1000 === 0)
        log.warn(`xmpp: ${dropped} queued messages dropped while offline`, { event: 'xmpp.queue_dropped', count: dropped });
    }
  }

  async function send(el: Element): Promise<void> {
    if (xmpp.status !== 'online') {
      keep(el);
      return;
    }
    try {
      await xmpp.send(el);
    } catch (err) {
      log.warn(`xmpp: send failed, will retry when online: ${(err as Error).message}`, { event: 'xmpp.send_failed' });
      keep(el);
    }
  }

  // ---- standing by: another process holds the domain ----
  let standingBy = false;
  let retryMs = RETRY_FIRST_MS;
  let lastTry = 0;
  function standBy(): void {
    if (!standingBy)
      log.info(`xmpp: another process holds ${opts.domain}; standing by to take over when it goes`, {
        event: 'xmpp.standby',
        jid: opts.domain,
      });
    standingBy = true;
  }
  /**
   * A standby's try ended (refused, or the server is away): the next one backs off (each refusal is an error
   * line in Prosody's log). Counted per disconnect: the library reports one refusal as two errors.
   */
  function backOff(): void {
    xmpp.reconnect.delay = retryMs;
    retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
    lastTry = Date.now();
  }
  const lease = opts.lease;
  const watch = setInterval(() => {
    if (!standingBy || !lease || xmpp.status !== 'disconnect' || Date.now() - lastTry < 2 * RENEW_MS) return;
    lease.store.held().then(
      (held) => {
        if (held || !standingBy || xmpp.status !== 'disconnect') return;
        // The holder stopped renewing: it is gone, or going. Try at once (then back off as before).
        lastTry = Date.now();
        const delay = xmpp.reconnect.delay;
        xmpp.reconnect.delay = 0;
        xmpp.reconnect.scheduleReconnect();
        xmpp.reconnect.delay = delay;
      },
      () => undefined, // Redis away: the backoff tries go on
    );
  }, WATCH_MS);
  watch.unref();
  const renew = setInterval(() => {
    if (lease && xmpp.status === 'online') lease.store.hold(lease.holder, LEASE_MS).catch(() => undefined);
  }, RENEW_MS);
  renew.unref();

  xmpp.on('error', (err: Error) => {
    const why = `${err.name ?? ''} ${(err as { condition?: string }).condition ?? ''} ${err.message}`;
    if (opts.standby && CONFLICT.test(why)) return standBy();
    if (FATAL.test(why)) {
      xmpp.reconnect.stop();
      onFatal(`the XMPP server refused the component (${why.trim()}): check BOT_JID and XMPP_SECRET`);
      return;
    }
    // A standby's tries end in socket errors now and then (the server closes on it): it said once that it stands by.
    if (!standingBy) log.warn(`xmpp: ${err.message}`, { event: 'xmpp.error' });
  });
  xmpp.on('offline', () => log.info('xmpp: offline', { event: 'xmpp.offline' }));
  let stopping = false;
  // Before @xmpp/reconnect's own listener, which arms the next try with the delay set here.
  xmpp.prependListener('disconnect', () => {
    if (standingBy) return backOff();
    // A standby's refused tries are expected: it said once that it stands by.
    if (!stopping) log.warn('xmpp: disconnected, reconnecting', { event: 'xmpp.disconnected' });
  });
  xmpp.on('online', () => {
    if (standingBy) log.info(`xmpp: took over ${opts.domain}`, { event: 'xmpp.takeover', jid: opts.domain });
    standingBy = false;
    retryMs = RETRY_FIRST_MS;
    xmpp.reconnect.delay = RETRY_FIRST_MS;
    lease?.store.hold(lease.holder, LEASE_MS).catch(() => undefined);
    log.info(`xmpp: online as ${opts.domain}`, { event: 'xmpp.online', jid: opts.domain });
    for (const el of queue.splice(0)) void send(el);
  });

  /** Why Redis cannot serve us, logged once per cause (a person retrying would repeat it every second). */
  let lastCause = '';
  const unavailable = (err: UnavailableError) => {
    const cause = (err.cause as Error | undefined)?.message ?? 'unknown';
    if (cause !== lastCause) log.warn(`redis: temporarily unavailable: ${cause}`, { event: 'redis.unavailable', cause });
    lastCause = cause;
  };

  /** The stanzas being handled now: stop() lets them finish and be answered first. */
  const inflight = new Set<Promise<unknown>>();
  function tracked<T>(p: Promise<T>): Promise<T> {
    inflight.add(p);
    p.then(
      () => inflight.delete(p),
      () => inflight.delete(p),
    );
    return p;
  }

  /** Every handler's failures end here: Redis away → "temporarily unavailable"; anything else is logged. */
  const guard = (h: (stanza: Element, el: Element) => Promise<Element>) => async (ctx: { stanza: Element; element: Element }) => {
    try {
      const reply = await tracked(h(ctx.stanza, ctx.element));
      lastCause = '';
      return reply;
    } catch (err) {
      if (err instanceof UnavailableError) {
        unavailable(err);
        return errorElement('service-unavailable', sentenceFor('service-unavailable'));
      }
      log.error(`iq handler failed: ${(err as Error).stack ?? String(err)}`, { event: 'iq.failed' });
      throw err; // @xmpp/iq answers internal-server-error, with no detail
    }
  };
  // Before the library's own handling (which copies an IQ's payload into its error reply): bound what is read.
  xmpp.prependListener('element', (el: Element) => boundIq(el));
  const oversize = async () => errorElement('not-acceptable', 'That request is too large or too deeply nested.');
  xmpp.iqCallee.get(NS_LIMITS, 'oversize', oversize);
  xmpp.iqCallee.set(NS_LIMITS, 'oversize', oversize);
  const from = (s: Element) => String(s.attrs.from ?? '');
  xmpp.iqCallee.get(
    NS_DISCO_INFO,
    'query',
    guard((s, q) => discoInfo(rt, from(s), q)),
  );
  xmpp.iqCallee.get(
    NS_DISCO_ITEMS,
    'query',
    guard((s, q) => discoItems(rt, from(s), String(s.attrs.to ?? opts.domain), q)),
  );
  xmpp.iqCallee.set(
    NS_COMMANDS,
    'command',
    guard((s, c) => handleCommand(rt, from(s), c)),
  );

  xmpp.on('stanza', (stanza: Element) => {
    void tracked(onStanza(stanza)).catch((err: unknown) =>
      log.error(`stanza handler failed: ${(err as Error).stack ?? String(err)}`, { event: 'stanza.failed' }),
    );
  });

  async function onStanza(stanza: Element): Promise<void> {
    if (stanza.is('presence')) return onPresence(stanza);
    const msg = readIncoming(stanza);
    if (!msg) return;
    let replies: Awaited<ReturnType<typeof handleChat>>;
    try {
      replies = await handleChat(rt, msg);
      lastCause = '';
    } catch (err) {
      if (err instanceof UnavailableError) {
        unavailable(err);
        replies = [{ to: msg.from, id: rt.deps.newId(), body: sentenceFor('service-unavailable') }];
      } else {
        // A bug, or data another tool damaged: logged for the operators, and the person still hears something
        // (as an IQ gets internal-server-error).
        log.error(`chat handler failed: ${(err as Error).stack ?? String(err)}`, { event: 'chat.failed' });
        replies = [{ to: msg.from, id: rt.deps.newId(), body: FAILED }];
      }
    }
    for (const m of replies) await send(chatMessage(m.to, m.body, m.id));
  }

  function chatMessage(to: string, body: string, id?: string): Element {
    return xml('message', { type: 'chat', to, from: opts.domain, id: id ?? rt.deps.newId() }, xml('body', {}, body));
  }

  /** A component has no roster: answer subscriptions and probes so clients show the bot as a contact. */
  async function onPresence(p: Element): Promise<void> {
    const who = p.attrs.from as string | undefined;
    const type = p.attrs.type as string | undefined;
    if (!who || type === 'error') return;
    const me = (p.attrs.to as string | undefined) ?? opts.domain;
    if (type === 'subscribe') {
      await send(xml('presence', { type: 'subscribed', to: who, from: me }));
      await send(xml('presence', { to: who, from: me }));
    } else if (type === 'probe' || type === undefined) {
      if (type === 'probe') await send(xml('presence', { to: who, from: me }));
    } else if (type === 'unsubscribe') {
      await send(xml('presence', { type: 'unsubscribed', to: who, from: me }));
    }
  }

  try {
    await xmpp.start();
  } catch (err) {
    // Refused because another process holds the domain: the reconnect tries go on, as a standby.
    if (!standingBy) {
      clearInterval(watch);
      clearInterval(renew);
      // Nothing may go on trying in the background (and later hold the domain) for a caller that saw this fail.
      xmpp.reconnect.stop();
      await xmpp.stop().catch(() => undefined);
      throw err;
    }
  }
  return {
    xmpp,
    state: () => (standingBy ? 'standby' : xmpp.status),
    async deliver(to, body, id) {
      if (xmpp.status !== 'online') throw new Error('not online');
      await xmpp.send(chatMessage(to, body, id));
    },
    async stop() {
      stopping = true;
      clearInterval(watch);
      clearInterval(renew);
      // Let the steps under way store their session and send their answer, then close the stream.
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise((r) => {
        timer = setTimeout(r, DRAIN_MS);
      });
      while (inflight.size) if ((await Promise.race([Promise.allSettled([...inflight]), late.then(() => 'late')])) === 'late') break;
      clearTimeout(timer);
      await new Promise((r) => setImmediate(r)); // the IQ callee sends a reply a tick after its handler returns
      xmpp.reconnect.stop();
      if (queue.length) log.warn(`xmpp: ${queue.length} messages not sent at stop`, { event: 'xmpp.queue_dropped', count: queue.length });
      await xmpp.stop().catch(() => undefined);
      // Gone: a standby may take over at once instead of waiting for the lease to lapse (released only if ours).
      await lease?.store.release(lease.holder).catch(() => undefined);
    },
  };
}
