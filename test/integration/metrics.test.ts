// GET /metrics, as Prometheus scrapes it: a known sequence of steps in both UIs and two webhooks, counted exactly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/dev/servers.js';
import { chat, command, rawHttp } from './bot-fixture.js';
import { adhocSignupToSummary, confirmPay, payBed, REGISTER, WHSEC, type PayBed } from './pay-fixture.js';

let p: PayBed;
let metricsPort: number;
beforeAll(async () => {
  metricsPort = await freePort();
  p = await payBed({ METRICS_PORT: String(metricsPort) });
});
afterAll(async () => p?.close());

/** The value of one sample in a Prometheus text scrape (0 when the series is not there yet). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const m = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = (m[2] ?? '').split(',').filter(Boolean);
    if (want.length === have.length && want.every((l) => have.includes(l))) return Number(m[3]);
  }
  return 0;
}

async function scrape(url: string): Promise<string> {
  const r = await fetch(url);
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return r.text();
}

describe('/metrics', () => {
  it('counts each step by UI, command and outcome, the sessions, the webhooks, and the links’ state', async () => {
    const before = await scrape(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(sample(before, 'jmp_bot_xmpp_connected')).toBe(1);
    expect(sample(before, 'jmp_bot_redis_connected')).toBe(1);
    expect(sample(before, 'jmp_bot_xmpp_standby')).toBe(0);
    expect(sample(before, 'jmp_bot_sessions_total', { event: 'started' })).toBe(0);

    const u = await p.b.user();
    // Ad-hoc: start, answer, cancel; then a step on a session that does not exist.
    const first = await command(u, p.b.botJid, REGISTER);
    const sessionid = first.sessionid!;
    await command(u, p.b.botJid, REGISTER, { sessionid, values: { tel: first.options('tel')[0]! } });
    await command(u, p.b.botJid, REGISTER, { sessionid, action: 'cancel' });
    const unknown = await command(u, p.b.botJid, REGISTER, { sessionid: 'no-such-session', values: { tel: '+14165550100' } });
    expect(unknown.error?.specific).toBe('bad-sessionid');
    // Chat: a first message opens the signup; help shows the same question again; cancel ends it.
    await chat(u, p.b.botJid, 'hello');
    await chat(u, p.b.botJid, 'help');
    await chat(u, p.b.botJid, 'cancel');
    const after = await scrape(`http://127.0.0.1:${metricsPort}/metrics`);
    const steps = (ui: string, outcome: string, cmd = REGISTER) => sample(after, 'jmp_bot_steps_total', { ui, command: cmd, outcome });
    expect(steps('adhoc', 'next')).toBe(2);
    expect(steps('adhoc', 'canceled')).toBe(1);
    expect(steps('adhoc', 'none')).toBe(1);
    expect(steps('chat', 'next')).toBe(1);
    expect(steps('chat', 'repeated')).toBe(1);
    expect(steps('chat', 'canceled')).toBe(1);
    expect(sample(after, 'jmp_bot_step_duration_seconds_count', { ui: 'adhoc' })).toBe(4);
    expect(sample(after, 'jmp_bot_step_duration_seconds_count', { ui: 'chat' })).toBe(3);
    expect(sample(after, 'jmp_bot_sessions_total', { event: 'started' })).toBe(2);
    expect(sample(after, 'jmp_bot_sessions_total', { event: 'ended' })).toBe(2);
    expect(sample(after, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('counts webhooks by event type and outcome, a forged one as unverified', async () => {
    const u = await p.b.user();
    const { sessionid } = await adhocSignupToSummary(p, u);
    const { session } = await confirmPay(p, u, REGISTER, sessionid);
    const paid = p.stripe.event('checkout.session.completed', session.id, { payment_status: 'paid' });
    expect((await p.stripe.post(`${p.web}/stripe/webhook`, paid.payload, 'whsec_not_the_secret')).status).toBe(400);
    expect((await p.stripe.post(`${p.web}/stripe/webhook`, paid.payload, WHSEC)).status).toBe(200);
    // Stripe sends it again: acknowledged, counted as a duplicate.
    expect((await p.stripe.post(`${p.web}/stripe/webhook`, paid.payload, WHSEC)).status).toBe(200);
    const m = await scrape(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(sample(m, 'jmp_bot_webhooks_total', { type: 'unverified', outcome: 'bad-signature' })).toBe(1);
    expect(sample(m, 'jmp_bot_webhooks_total', { type: 'checkout.session.completed', outcome: 'fulfilled' })).toBe(1);
    expect(sample(m, 'jmp_bot_webhooks_total', { type: 'checkout.session.completed', outcome: 'duplicate' })).toBe(1);
  });

  it('with METRICS_PORT set the public web server serves no /metrics, not even by a path a proxy would pass on', async () => {
    expect((await fetch(`${p.web}/metrics`)).status).toBe(404);
    // nginx's `location /pay/` passes this on as it is; a URL parser would make it /metrics.
    for (const target of ['/pay/..\\metrics', '/pay/%2e%2e/metrics', '/pay/..%2Fmetrics']) {
      const answer = await rawHttp(new URL(p.web).port, `GET ${target} HTTP/1.1`);
      expect(answer).toMatch(/^HTTP\/1\.1 404/);
      expect(answer).not.toContain('jmp_bot_');
    }
    expect(await rawHttp(new URL(p.web).port, 'GET /..\\metrics HTTP/1.1')).toMatch(/^HTTP\/1\.1 400/);
  });

  it('the metrics port serves nothing but /metrics, and a request target no URL parser takes does not crash it', async () => {
    expect(await rawHttp(String(metricsPort), 'GET http://a:99999/metrics HTTP/1.1')).toMatch(/^HTTP\/1\.1 404/);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/healthz`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/pay/x`)).status).toBe(404);
  });
});
