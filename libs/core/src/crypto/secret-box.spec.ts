import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box';

describe('SecretBox (AES-256-GCM with key ids)', () => {
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);

  it('round-trips, never stores the plaintext, and each seal differs', () => {
    const box = new SecretBox(newKey, 'k2');
    const a = box.seal('{"scopes":"activity"}');
    const b = box.seal('{"scopes":"activity"}');
    expect(a.keyId).toBe('k2');
    expect(a.value).not.toContain('activity');
    expect(a.value).not.toBe(b.value);
    expect(box.open(a)).toBe('{"scopes":"activity"}');
  });

  it('reads values sealed before a rotation with the old key kept by id', () => {
    const sealed = new SecretBox(oldKey, 'k1').seal('before rotation');
    const rotated = new SecretBox(newKey, 'k2', [['k1', oldKey]]);
    expect(rotated.open(sealed)).toBe('before rotation');
    expect(rotated.seal('after').keyId).toBe('k2');
    expect(() => new SecretBox(newKey, 'k2').open(sealed)).toThrow('Unknown encryption key id k1');
  });

  it('refuses a tampered value or one relabelled with another key id', () => {
    const box = new SecretBox(newKey, 'k2', [['k1', newKey]]);
    const sealed = box.seal('secret');
    const [iv, tag, data] = sealed.value.split('.');
    const flipped = Buffer.from(data, 'base64url');
    flipped[0] ^= 1;
    expect(() =>
      box.open({ ...sealed, value: [iv, tag, flipped.toString('base64url')].join('.') }),
    ).toThrow();
    expect(() => box.open({ ...sealed, keyId: 'k1' })).toThrow();
  });

  it('reads ENCRYPTION_PREVIOUS_KEYS as id:base64 pairs', () => {
    const sealed = new SecretBox(oldKey, 'k1').seal('x');
    const box = SecretBox.fromConfig({
      key: newKey.toString('base64'),
      keyId: 'k2',
      previousKeys: `k1:${oldKey.toString('base64')}`,
    });
    expect(box.open(sealed)).toBe('x');
  });
});
