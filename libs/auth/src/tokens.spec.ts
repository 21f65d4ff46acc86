import { ManualClock, randomToken, sha256Hex } from '@fittrack/core';
import { MemoryDenyList } from './deny-list';

describe('emailed and refresh token hashing', () => {
  it('tokens carry 32 random bytes, URL-safe, and differ every time', () => {
    const token = randomToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(new Set(Array.from({ length: 100 }, () => randomToken())).size).toBe(100);
  });

  it('only the SHA-256 is stored: 64 hex chars, stable, and not the token', () => {
    const token = randomToken();
    const digest = sha256Hex(token);
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(sha256Hex(token)).toBe(digest);
    expect(digest).not.toContain(token);
    expect(sha256Hex(`${token}x`)).not.toBe(digest);
  });
});

describe('MemoryDenyList', () => {
  it('denies a jti until the token would have expired', async () => {
    const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
    const list = new MemoryDenyList(clock);
    const exp = clock.now().getTime() / 1000 + 60;
    await list.deny('a', exp);
    expect(await list.isDenied('a')).toBe(true);
    expect(await list.isDenied('b')).toBe(false);
    clock.advance(61_000);
    expect(await list.isDenied('a')).toBe(false);
  });

  it('ignores entries that are already expired', async () => {
    const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
    const list = new MemoryDenyList(clock);
    await list.deny('old', clock.now().getTime() / 1000 - 1);
    expect(await list.isDenied('old')).toBe(false);
  });
});
