import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { allocateSlot, componentJidFor, redisUrlFor } from '../harness/slot.js';
import { connectUser, xml, type TestUser } from '../harness/client.js';

describe('real-servers test bed', () => {
  let slot: number;
  const users: TestUser[] = [];

  beforeAll(async () => {
    slot = await allocateSlot();
  });

  afterAll(async () => {
    await Promise.all(users.map((u) => u.stop()));
  });

  it('allocates a slot in 1..12', () => {
    expect(slot).toBeGreaterThanOrEqual(1);
    expect(slot).toBeLessThanOrEqual(12);
    expect(componentJidFor(slot)).toBe(`bot${slot}.localhost`);
  });

  it('delivers a chat message between two anonymous users', async () => {
    const [a, b] = await Promise.all([connectUser(), connectUser()]);
    users.push(a, b);
    expect(a.bare).toMatch(/@anon\.localhost$/);
    expect(a.jid).not.toBe(b.jid);
    await a.say(b.jid, 'hello from a');
    await a.say(b.jid, 'second');
    const m1 = await b.nextMessage({ from: a.bare });
    const m2 = await b.nextMessage();
    expect(m1.body).toBe('hello from a');
    expect(m1.stanza.attrs.from).toBe(a.jid);
    expect(m2.body).toBe('second');
  });

  it('returns iq error stanzas instead of throwing', async () => {
    const u = await connectUser();
    users.push(u);
    // No component is connected for this slot, so Prosody answers with an error.
    const res = await u.iq(
      xml('iq', { type: 'get', to: componentJidFor(slot) }, xml('query', { xmlns: 'http://jabber.org/protocol/disco#info' })),
    );
    expect(res.attrs.type).toBe('error');
    expect(res.getChild('error')).toBeTruthy();
  });

  it('gives the slot its own redis database', async () => {
    const url = redisUrlFor(slot);
    expect(url).toMatch(new RegExp(`^redis://127\\.0\\.0\\.1:\\d+/${slot}$`));
    const redis = new Redis(url);
    try {
      await redis.set('harness:key', 'value');
      expect(await redis.get('harness:key')).toBe('value');
      const info = await redis.client('INFO');
      expect(String(info)).toContain(`db=${slot}`);
    } finally {
      redis.disconnect();
    }
  });

  it('lets alice@localhost log in with password pw', async () => {
    const alice = await connectUser({ user: 'alice', password: 'pw' });
    users.push(alice);
    expect(alice.bare).toBe('alice@localhost');
    const bob = await connectUser({ user: 'bob' });
    users.push(bob);
    await bob.say(alice.jid, 'hi alice');
    expect((await alice.nextMessage({ from: 'bob@localhost' })).body).toBe('hi alice');
  });

  it('rejects a wrong password', async () => {
    await expect(connectUser({ user: 'alice', password: 'nope' })).rejects.toThrow();
  });
});
