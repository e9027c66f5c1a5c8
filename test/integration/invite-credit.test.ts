// The invite credit (INVITE_CREDIT) on a real bot, Redis and the Stripe stand-in: it reaches the inviter with its
// message even when the first try of the webhook fails after the payment was applied (Stripe's retry applies it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../src/store/keys.js';
import { adhocSignupToSummary, confirmPay, type PayBed, payBed, REGISTER, WHSEC } from './pay-fixture.js';

let p: PayBed;
beforeAll(async () => {
  p = await payBed({ INVITE_CREDIT: '200' });
});
afterAll(async () => p?.close());

describe('the invite credit', () => {
  it("survives a webhook that failed after the friend's payment was applied: Stripe's retry credits it, once", async () => {
    const inviter = await p.b.user();
    const friend = await p.b.user();
    await p.b.redis.set(keys.invitedBy(friend.bare), inviter.bare);
    // The inviter's balance cannot be read for now (a key of the wrong type): the credit fails after the payment.
    await p.b.redis.hset(keys.balancePrepaid(inviter.bare), 'x', '1');
    const { sessionid } = await adhocSignupToSummary(p, friend);
    const { session } = await confirmPay(p, friend, REGISTER, sessionid);
    const e = p.stripe.event('checkout.session.completed', session.id, { payment_status: 'paid', status: 'complete' });
    const first = await p.stripe.post(`${p.web}/stripe/webhook`, e.payload, WHSEC);
    expect(first.status).toBe(500);
    expect((await friend.nextMessage({ from: p.b.botJid })).body).toMatch(/^Payment received/);
    expect(await p.b.redis.get(keys.invitedBy(friend.bare))).toBe(inviter.bare);

    await p.b.redis.del(keys.balancePrepaid(inviter.bare));
    await p.b.redis.set(keys.balancePrepaid(inviter.bare), '1000');
    // Stripe sends the event again (it was not answered 2xx).
    expect((await p.stripe.post(`${p.web}/stripe/webhook`, e.payload, WHSEC)).status).toBe(200);
    expect((await inviter.nextMessage({ from: p.b.botJid })).body).toBe(
      'A friend you invited made their first payment: $2.00 was added to your prepaid balance, now $12.00.',
    );
    expect(await p.b.redis.get(keys.balancePrepaid(inviter.bare))).toBe('1200');
    // A third delivery credits nothing more, and says nothing more.
    expect((await p.stripe.post(`${p.web}/stripe/webhook`, e.payload, WHSEC)).status).toBe(200);
    expect(await p.b.redis.get(keys.balancePrepaid(inviter.bare))).toBe('1200');
    await expect(inviter.nextMessage({ from: p.b.botJid, timeout: 500 })).rejects.toThrow();
    await expect(friend.nextMessage({ from: p.b.botJid, timeout: 300 })).rejects.toThrow();
  });
});
