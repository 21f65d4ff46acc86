import { randomUUID } from 'node:crypto';
import { ManualClock } from '@fittrack/core';
import { RedisDenyList } from '@fittrack/auth';

/** The Redis deny-list shared by API instances (REDIS_URL, default the local Redis). */
describe('RedisDenyList', () => {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const clock = new ManualClock();
  let a: RedisDenyList;
  let b: RedisDenyList;
  beforeAll(() => {
    a = new RedisDenyList(url, clock);
    b = new RedisDenyList(url, clock);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('a jti denied by one instance is denied by another, and expires with the token', async () => {
    const jti = randomUUID();
    await a.deny(jti, clock.now().getTime() / 1000 + 1);
    expect(await b.isDenied(jti)).toBe(true);
    expect(await b.isDenied(randomUUID())).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(await b.isDenied(jti)).toBe(false);
  });
});
