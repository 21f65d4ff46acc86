import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box';
import { ConnectStateSigner } from '../connections.state';

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

describe('ConnectStateSigner', () => {
  const signer = new ConnectStateSigner(randomBytes(32));
  const state = { userId: 'u1', provider: 'fitbit' as const, exp: 1000 };

  it('verifies its own unexpired state', () => {
    expect(signer.verify(signer.sign(state), 999)).toMatchObject(state);
    expect(signer.verify(signer.sign(state), 1000)).toMatchObject(state);
  });

  it('refuses expired, tampered, foreign or malformed states', () => {
    const token = signer.sign(state);
    expect(signer.verify(token, 1001)).toBeNull();
    const [body, mac] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...state, userId: 'u2' })).toString('base64url');
    expect(signer.verify(`${forged}.${mac}`, 0)).toBeNull();
    expect(signer.verify(`${body}.${mac}x`, 0)).toBeNull();
    expect(new ConnectStateSigner(randomBytes(32)).verify(token, 0)).toBeNull();
    expect(signer.verify(undefined, 0)).toBeNull();
    expect(signer.verify('nodot', 0)).toBeNull();
  });
});
