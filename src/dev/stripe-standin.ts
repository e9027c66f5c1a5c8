// A small local HTTP stand-in for the few Stripe API calls the bot makes (create Checkout Session), so the
// real `stripe` SDK can be pointed at it; plus signed webhook events as Stripe sends them, and a tiny
// "checkout page" with Pay/Cancel buttons for the demo. Not a Stripe mock: it answers only what the bot uses.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';

export interface StandinSession {
  id: string;
  object: 'checkout.session';
  mode: string;
  status: 'open' | 'complete' | 'expired';
  payment_status: 'unpaid' | 'paid' | 'no_payment_required';
  amount_total: number;
  currency: string;
  client_reference_id: string | null;
  payment_intent: string;
  metadata: Record<string, string>;
  success_url: string;
  cancel_url: string;
  expires_at: number;
  url: string;
  created: number;
}

export interface CreateRequest {
  readonly idempotencyKey: string | undefined;
  readonly params: Record<string, string>;
  readonly session: StandinSession;
}

export interface Standin {
  readonly url: string;
  readonly port: number;
  /** Every POST /v1/checkout/sessions that created a session (replays with a known Idempotency-Key are not added). */
  readonly created: CreateRequest[];
  /** All POSTs, replays included. */
  requests: number;
  readonly sessions: Map<string, StandinSession>;
  /** While true, every connection is dropped (the SDK sees a network error, as when Stripe is unreachable). */
  down: boolean;
  /** While true, every API request is refused with 401 (a revoked key). */
  refuseKey: boolean;
  /** Build a Stripe event about a session, as JSON text (what Stripe posts). */
  event(type: string, sessionId: string, changes?: Partial<StandinSession>): { id: string; payload: string };
  /** A refund (`charge.refunded`) or dispute (`charge.dispute.*`) event about the charge that paid a session. */
  chargeEvent(type: string, sessionId: string, changes?: Record<string, unknown>): { id: string; payload: string };
  /** Post a payload to a webhook URL, signed with `secret` (as Stripe does); returns the HTTP status and body. */
  post(webhookUrl: string, payload: string, secret: string, opts?: { timestamp?: number }): Promise<{ status: number; body: string }>;
  stop(): Promise<void>;
}

/** Stripe's webhook signature (docs.stripe.com/webhooks#verify-manually): `t=…,v1=` HMAC-SHA256 of `t.payload`. */
function signature(payload: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${payload}`).digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

/** Request parameters in a fixed order, to compare two requests made with one idempotency key. */
function canonical(params: Record<string, string>): string {
  return JSON.stringify(Object.entries(params).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let s = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (s += c));
    req.on('end', () => resolve(s));
    req.on('error', reject);
  });
}

let errors = 0;
function stripeError(res: ServerResponse, status: number, message: string, param?: string, type = 'invalid_request_error'): void {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_standin_err_${++errors}` });
  res.end(JSON.stringify({ error: { type, message, ...(param ? { param } : {}) } }));
}

/**
 * Start the stand-in. With `webhook`, its checkout page's Pay button posts a signed completed event there. `now`
 * is Stripe's clock (for its expires_at rule and event times): a test whose bot runs on a fixed clock passes the same.
 */
export async function startStripeStandin(opts: { webhook?: { url: string; secret: string }; now?: () => Date } = {}): Promise<Standin> {
  const clock = () => Math.floor((opts.now?.() ?? new Date()).getTime() / 1000);
  const created: CreateRequest[] = [];
  const sessions = new Map<string, StandinSession>();
  /** Idempotency key → the session it made and the parameters it was first used with. */
  const byKey = new Map<string, { id: string; body: string }>();
  let n = 0;
  let events = 0;
  let base = '';

  async function create(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const params = Object.fromEntries(new URLSearchParams(body));
    const key = req.headers['idempotency-key'] as string | undefined;
    const known = key ? byKey.get(key) : undefined;
    if (known) {
      // Stripe's rule (docs.stripe.com/idempotency): the same key with other parameters is refused.
      if (known.body !== canonical(params)) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            error: {
              type: 'idempotency_error',
              message: 'Keys for idempotent requests can only be used with the same parameters they were first used with.',
            },
          }),
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'idempotent-replayed': 'true' });
      res.end(JSON.stringify(sessions.get(known.id)));
      return;
    }
    const now = clock();
    const expires = Number(params.expires_at ?? now + 24 * 3600);
    // Stripe's own rule: expires_at between 30 minutes and 24 hours from now.
    if (expires < now + 30 * 60 - 5 || expires > now + 24 * 3600 + 5) {
      return stripeError(res, 400, 'The `expires_at` timestamp must be between 30 minutes and 24 hours from now.', 'expires_at');
    }
    const unit = Number(params['line_items[0][price_data][unit_amount]']);
    const qty = Number(params['line_items[0][quantity]'] ?? 1);
    const currency = params['line_items[0][price_data][currency]'];
    if (params.mode !== 'payment' || !Number.isInteger(unit) || unit <= 0 || !currency) {
      return stripeError(res, 400, 'Invalid line_items or mode.', 'line_items');
    }
    if (!params.success_url || !params.cancel_url) return stripeError(res, 400, 'Missing success_url or cancel_url.', 'success_url');
    const metadata: Record<string, string> = {};
    for (const [k, v] of Object.entries(params)) {
      const m = /^metadata\[(.+)\]$/.exec(k);
      if (m) metadata[m[1] as string] = v;
    }
    const id = `cs_test_${String(++n).padStart(4, '0')}${Math.random().toString(36).slice(2, 10)}`;
    const session: StandinSession = {
      id,
      object: 'checkout.session',
      mode: 'payment',
      status: 'open',
      payment_status: 'unpaid',
      amount_total: unit * qty,
      currency,
      client_reference_id: params.client_reference_id ?? null,
      payment_intent: `pi_${id.slice('cs_'.length)}`,
      metadata,
      success_url: params.success_url,
      cancel_url: params.cancel_url,
      expires_at: expires,
      url: `${base}/c/pay/${id}`,
      created: now,
    };
    sessions.set(id, session);
    if (key) byKey.set(key, { id, body: canonical(params) });
    created.push({ idempotencyKey: key, params, session });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(session));
  }

  const standin: Standin = {
    url: '',
    port: 0,
    created,
    requests: 0,
    sessions,
    down: false,
    refuseKey: false,
    chargeEvent(type, sessionId, changes = {}) {
      const s = sessions.get(sessionId);
      if (!s) throw new Error(`no session ${sessionId}`);
      const charge = `ch_${sessionId.slice('cs_'.length)}`;
      const object = type.startsWith('charge.dispute.')
        ? {
            id: `dp_${sessionId.slice('cs_'.length)}`,
            object: 'dispute',
            charge,
            payment_intent: s.payment_intent,
            amount: s.amount_total,
            currency: s.currency,
            reason: 'fraudulent',
            status: 'needs_response',
            ...changes,
          }
        : {
            id: charge,
            object: 'charge',
            payment_intent: s.payment_intent,
            amount: s.amount_total,
            amount_refunded: s.amount_total,
            currency: s.currency,
            refunded: true,
            ...changes,
          };
      const id = `evt_test_${++events}_${Math.random().toString(36).slice(2, 10)}`;
      return {
        id,
        payload: JSON.stringify({
          id,
          object: 'event',
          api_version: '2026-10-28',
          created: clock(),
          livemode: false,
          type,
          data: { object },
        }),
      };
    },
    event(type, sessionId, changes = {}) {
      const s = sessions.get(sessionId);
      if (!s) throw new Error(`no session ${sessionId}`);
      Object.assign(s, changes);
      const id = `evt_test_${++events}_${Math.random().toString(36).slice(2, 10)}`;
      const ev = { id, object: 'event', api_version: '2026-10-28', created: clock(), livemode: false, type, data: { object: { ...s } } };
      return { id, payload: JSON.stringify(ev) };
    },
    async post(webhookUrl, payload, secret, o = {}) {
      const header = signature(payload, secret, o.timestamp);
      const res = await fetch(webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': header },
        body: payload,
      });
      return { status: res.status, body: await res.text() };
    },
    stop: async () => {},
  };

  /** The demo's checkout page: a summary and two buttons. */
  async function checkoutPage(req: IncomingMessage, res: ServerResponse, id: string, action: string | undefined): Promise<void> {
    const s = sessions.get(id);
    if (!s) return void res.writeHead(404).end('no such session');
    if (req.method === 'POST' && action === 'pay' && opts.webhook && s.status === 'open') {
      s.status = 'complete';
      const e = standin.event('checkout.session.completed', id, { payment_status: 'paid', status: 'complete' });
      await standin.post(opts.webhook.url, e.payload, opts.webhook.secret);
      return void res.writeHead(303, { location: s.success_url }).end();
    }
    if (req.method === 'POST' && action === 'cancel') return void res.writeHead(303, { location: s.cancel_url }).end();
    const amount = (s.amount_total / 100).toFixed(2);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><meta name="viewport" content="width=device-width, initial-scale=1"><title>Test checkout</title>
<h1>Test checkout (no real money)</h1><p>${amount} ${s.currency.toUpperCase()}: ${s.metadata.purpose ?? ''} ${s.metadata.plan ?? ''} ${s.metadata.tel ?? ''}</p>
<form method="post" action="/c/pay/${id}/pay"><button>Pay (test card)</button></form>
<form method="post" action="/c/pay/${id}/cancel"><button>Cancel</button></form>`);
  }

  const server: Server = createServer((req, res) => {
    if (standin.down) return void req.socket.destroy();
    standin.requests++;
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const page = /^\/c\/pay\/([^/]+)(?:\/(pay|cancel))?$/.exec(path);
    const done = (p: Promise<void>) => p.catch((err: unknown) => stripeError(res, 500, String(err)));
    // A revoked key: Stripe answers 401 to everything.
    if (standin.refuseKey && path.startsWith('/v1/'))
      return stripeError(res, 401, 'Invalid API Key provided: sk_test_****', undefined, 'authentication_error');
    if (req.method === 'POST' && path === '/v1/checkout/sessions') return void done(create(req, res));
    const expire = /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/.exec(path);
    if (req.method === 'POST' && expire) {
      const s = sessions.get(expire[1] as string);
      if (!s) return stripeError(res, 404, `No such checkout.session: '${expire[1]}'`, 'session');
      if (s.status !== 'open') return stripeError(res, 400, 'Only Checkout Sessions with a status in ["open"] can be expired.');
      s.status = 'expired';
      res.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_standin_${standin.requests}` });
      return void res.end(JSON.stringify(s));
    }
    const one = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && one) {
      const s = sessions.get(one[1] as string);
      if (!s) return stripeError(res, 404, `No such checkout.session: '${one[1]}'`, 'session');
      res.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_standin_${standin.requests}` });
      return void res.end(JSON.stringify(s));
    }
    if (req.method === 'GET' && path === '/v1/checkout/sessions') {
      res.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_standin_${standin.requests}` });
      return void res.end(
        JSON.stringify({ object: 'list', data: [...sessions.values()].slice(-1), has_more: false, url: '/v1/checkout/sessions' }),
      );
    }
    if (page) return void done(checkoutPage(req, res, page[1] as string, page[2]));
    stripeError(res, 404, `Unrecognized request URL (${req.method}: ${path}).`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
  return Object.assign(standin, {
    url: base,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
}
