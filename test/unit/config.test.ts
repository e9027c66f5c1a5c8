import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

const base = { BOT_JID: 'bot.example.org', XMPP_SERVICE: 'xmpp://127.0.0.1:5347', XMPP_SECRET: 's' };
const card = {
  ...base,
  ACTIVATION_METHODS: 'trial,credit_card',
  STRIPE_SECRET_KEY: 'sk_test_abc',
  STRIPE_WEBHOOK_SECRET: 'whsec_abc',
  HTTP_PORT: '8080',
  PUBLIC_URL: 'https://pay.example.org/',
};

describe('payment settings', () => {
  it('card payments need Stripe keys, HTTP_PORT and PUBLIC_URL, each named when missing', () => {
    expect(loadConfig(card).web).toEqual({ host: '127.0.0.1', port: 8080, publicUrl: 'https://pay.example.org' });
    expect(() => loadConfig({ ...card, STRIPE_SECRET_KEY: '' })).toThrow(/credit_card, so STRIPE_SECRET_KEY must be set/);
    expect(() => loadConfig({ ...card, STRIPE_WEBHOOK_SECRET: '' })).toThrow(/STRIPE_WEBHOOK_SECRET is not set/);
    expect(() => loadConfig({ ...card, STRIPE_WEBHOOK_SECRET: 'abc' })).toThrow(/whsec_/);
    expect(() => loadConfig({ ...card, STRIPE_SECRET_KEY: 'pk_test_abc' })).toThrow(/must be a secret key/);
    expect(() => loadConfig({ ...card, HTTP_PORT: '' })).toThrow(/HTTP_PORT and PUBLIC_URL must be set/);
    expect(() => loadConfig({ ...card, PUBLIC_URL: '' })).toThrow(/PUBLIC_URL is not set/);
    expect(() => loadConfig({ ...card, HTTP_PORT: '99999' })).toThrow(/HTTP_PORT must be a port number/);
  });

  it('PUBLIC_URL with a path is refused at start: the server answers at the root of its host', () => {
    expect(() => loadConfig({ ...card, PUBLIC_URL: 'https://example.org/bot' })).toThrow(
      'PUBLIC_URL must be the root of a host (e.g. https://pay.example.org), not a path: "https://example.org/bot"',
    );
    expect(loadConfig({ ...card, PUBLIC_URL: 'https://example.org:8443/' }).web?.publicUrl).toBe('https://example.org:8443');
  });

  it('trial-only needs none of it, and reads the trial plans from the catalogue', () => {
    const c = loadConfig(base);
    expect(c.stripe).toBeUndefined();
    expect(c.trialPlans).toEqual({ first: 'trial_first_month-v20261101', second: 'trial_second_month-v20261101' });
  });

  it('a missing or broken PLANS_FILE stops the bot with the file name and the problem', () => {
    expect(() => loadConfig({ ...base, PLANS_FILE: '/nonexistent/plans.json' })).toThrow(
      /PLANS_FILE: cannot read \/nonexistent\/plans.json \(ENOENT\)/,
    );
    const dir = mkdtempSync(join(tmpdir(), 'plans-'));
    writeFileSync(join(dir, 'bad.json'), '{"plans": [');
    expect(() => loadConfig({ ...base, PLANS_FILE: join(dir, 'bad.json') })).toThrow(/PLANS_FILE .*bad.json: /);
    writeFileSync(
      join(dir, 'trial-only.json'),
      JSON.stringify({
        plans: [
          { id: 'a_b-v20261101', trial: 'first' },
          { id: 'a_c-v20261101', trial: 'second' },
        ],
      }),
    );
    expect(() => loadConfig({ ...card, PLANS_FILE: join(dir, 'trial-only.json') })).toThrow(/has no paid plan/);
  });
});
