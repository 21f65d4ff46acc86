import { randomToken, sha256Hex } from '@fittrack/core';

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
