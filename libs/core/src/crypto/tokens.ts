import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A URL-safe random token with 32 bytes of entropy. */
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** Tokens are stored as SHA-256 digests, so a leaked table cannot be replayed. */
export const sha256Hex = (value: string | Buffer): string => createHash('sha256').update(value).digest('hex');

export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
