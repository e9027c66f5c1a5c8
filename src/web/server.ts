// The web server: payment links, Stripe's return pages, the Stripe webhook, and a health check.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UnavailableError } from '../domain/errors.js';
import type { Log, Metrics } from '../domain/ports.js';
import { BadSignature, type Gateway, type ProcessorEvent } from '../payments/gateway.js';
import type { PaymentService } from '../payments/service.js';
import { pages, renderPage, type Page } from './pages.js';

/** Stripe's events are a few KB; anything much larger is not from Stripe. */
const MAX_BODY = 512 * 1024;

export interface WebDeps {
  readonly payments?: Pick<PaymentService, 'openLink' | 'onEvent' | 'linkState'>;
  readonly gateway?: Pick<Gateway, 'verifyEvent'>;
  /** Whether the bot can serve people: XMPP online and Redis answering. */
  readonly health: () => Promise<{ readonly ok: boolean; readonly detail: Record<string, string> }>;
  readonly log: Log;
  /** Counts the webhooks. */
  readonly metrics?: Metrics;
  /** GET /metrics: the Prometheus scrape (absent: 404, e.g. when METRICS_PORT serves it). Keep it private at the proxy. */
  readonly scrape?: Scrape;
}

export type Scrape = () => Promise<{ readonly contentType: string; readonly body: string }>;

export interface WebServer {
  readonly server: Server;
  readonly port: number;
  stop(): Promise<void>;
}

const HEADERS = {
  'cache-control': 'no-store',
  // The token is in the URL: never leak it to another site.
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; frame-ancestors 'none'",
};

function sendPage(res: ServerResponse, p: Page): void {
  res.writeHead(p.status, { ...HEADERS, 'content-type': 'text/html; charset=utf-8' });
  res.end(renderPage(p));
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { ...HEADERS, 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function webHandler(d: WebDeps) {
  async function webhook(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!d.payments || !d.gateway) return sendJson(res, 404, { error: 'card payments are not configured' });
    const signature = req.headers['stripe-signature'];
    const raw = await readBody(req);
    if (!raw) {
      d.metrics?.webhook('unverified', 'too-large');
      return sendJson(res, 413, { error: 'body too large' });
    }
    if (typeof signature !== 'string') {
      d.metrics?.webhook('unverified', 'no-signature');
      return sendJson(res, 400, { error: 'missing Stripe-Signature header' });
    }
    let event: ProcessorEvent;
    try {
      event = d.gateway.verifyEvent(raw, signature);
    } catch (err) {
      if (err instanceof BadSignature) {
        d.log.warn(`webhook: rejected: ${err.message}`, { event: 'webhook.rejected' });
        d.metrics?.webhook('unverified', 'bad-signature');
        return sendJson(res, 400, { error: 'bad signature' });
      }
      throw err;
    }
    let outcome: string;
    try {
      outcome = await d.payments.onEvent(event);
    } catch (err) {
      d.metrics?.webhook(event.type, err instanceof UnavailableError ? 'unavailable' : 'failed');
      throw err;
    }
    d.metrics?.webhook(event.type, outcome);
    return sendJson(res, 200, { received: true, outcome });
  }

  async function payLink(token: string, rest: string | undefined, res: ServerResponse): Promise<void> {
    if (!d.payments) return sendPage(res, pages.notFound());
    if (rest === 'success' || rest === 'cancel') {
      // Each return page tells the truth for the payment's own state, whatever the redirect claims.
      const state = await d.payments.linkState(token);
      if (state === undefined || state === 'closed') return sendPage(res, pages.expired());
      if (state === 'paid') return sendPage(res, rest === 'success' ? pages.success(true) : pages.alreadyPaid());
      if (state === 'processing') return sendPage(res, pages.success(false));
      return sendPage(res, rest === 'success' ? pages.success(false) : pages.cancelled(`../${encodeURIComponent(token)}`));
    }
    if (rest !== undefined) return sendPage(res, pages.notFound());
    const r = await d.payments.openLink(token);
    if ('redirect' in r) {
      res.writeHead(303, { ...HEADERS, location: r.redirect });
      res.end();
      return;
    }
    const page = {
      paid: pages.alreadyPaid,
      processing: () => pages.success(false),
      unavailable: pages.unavailable,
      expired: pages.expired,
    }[r.page];
    return sendPage(res, page());
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = pathOf(req);
    if (path === undefined) {
      // Never routed anywhere; a person who mangled a payment link sees the page for a link that no longer works.
      if ((req.url ?? '').startsWith('/pay/')) return sendPage(res, pages.expired());
      return sendJson(res, 400, { error: 'bad request path' });
    }
    if (path === '/stripe/webhook') {
      if (req.method !== 'POST') return sendJson(res, 405, { error: 'POST only' });
      return webhook(req, res);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'GET only' });
    if (path === '/metrics') return metrics(d.scrape, res);
    if (path === '/healthz') {
      const h = await d.health();
      return sendJson(res, h.ok ? 200 : 503, { ok: h.ok, ...h.detail });
    }
    const m = /^\/pay\/([^/]+)(?:\/([^/]+))?\/?$/.exec(path);
    if (m) {
      let token: string;
      try {
        token = decodeURIComponent(m[1] as string);
      } catch {
        return sendPage(res, pages.expired());
      }
      return payLink(token, m[2], res);
    }
    return sendPage(res, pages.notFound());
  }

  return (req: IncomingMessage, res: ServerResponse) => {
    route(req, res).catch((err: unknown) => {
      // Redis away: 503 makes Stripe retry the event later; people see the "try again" page.
      const unavailable = err instanceof UnavailableError;
      if (!unavailable)
        d.log.error(`web: ${req.method} ${req.url?.replace(/\/pay\/[^/]+/, '/pay/…')}: ${(err as Error).stack ?? String(err)}`, {
          event: 'web.failed',
        });
      if (res.headersSent) return res.destroy();
      if (req.url?.startsWith('/stripe/')) return sendJson(res, unavailable ? 503 : 500, { error: 'try again later' });
      return sendPage(res, pages.unavailable());
    });
  };
}

/**
 * The request's path as sent, or undefined for one that a URL parser would rewrite (a backslash, a dot segment,
 * an encoded slash): behind a proxy that routes by prefix, `/pay/..\metrics` must not become `/metrics`.
 */
export function pathOf(req: IncomingMessage): string | undefined {
  const raw = (req.url ?? '/').split('?')[0] ?? '/';
  if (!raw.startsWith('/') || /\\|%2f|%5c|%2e/i.test(raw) || /(^|\/)\.\.?(\/|$)/.test(raw)) return undefined;
  return raw;
}

async function metrics(scrape: Scrape | undefined, res: ServerResponse): Promise<void> {
  if (!scrape) return sendJson(res, 404, { error: 'metrics are not served here' });
  const m = await scrape();
  res.writeHead(200, { 'cache-control': 'no-store', 'content-type': m.contentType });
  res.end(m.body);
}

/** The scrape on a port of its own (METRICS_PORT), for a bot with no web server or one kept off the public side. */
export function metricsHandler(scrape: Scrape, log: Log) {
  return (req: IncomingMessage, res: ServerResponse) => {
    if (pathOf(req) !== '/metrics') return sendJson(res, 404, { error: 'only /metrics here' });
    metrics(scrape, res).catch((err: unknown) => {
      log.error(`metrics: ${(err as Error).stack ?? String(err)}`, { event: 'metrics.failed' });
      if (!res.headersSent) sendJson(res, 500, { error: 'metrics failed' });
    });
  };
}

export async function startWeb(d: WebDeps, host: string, port: number): Promise<WebServer> {
  return listen(webHandler(d), host, port);
}

/** An HTTP server for `handler` on host:port (0: any free port), with timeouts. */
export async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void, host: string, port: number): Promise<WebServer> {
  const server = createServer(handler);
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    // Requests under way (a webhook being recorded) get a second to finish; idle keep-alive connections go at once.
    stop: () =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), 1000);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
