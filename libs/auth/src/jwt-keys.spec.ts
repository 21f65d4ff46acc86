import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '@fittrack/core';
import { loadJwtKeys } from './jwt-keys';

describe('loadJwtKeys', () => {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const configWith = (privateKey: string, publicKey: string) =>
    parseConfig({ NODE_ENV: 'development', JWT_PRIVATE_KEY: privateKey, JWT_PUBLIC_KEY: publicKey });

  it('parses the keys from the environment once, `\\n` escapes included', () => {
    const escaped = (pem: string) => pem.trim().replace(/\n/g, '\\n');
    const keys = loadJwtKeys(configWith(escaped(privatePem), escaped(publicPem)));
    expect(keys.privateKey.type).toBe('private');
    expect(keys.publicKey.type).toBe('public');
    expect(keys.publicKey.equals(pair.publicKey)).toBe(true);
  });

  it('refuses a malformed key by name, without echoing it', () => {
    const load = () => loadJwtKeys(configWith(privatePem, 'secret-looking-garbage'));
    expect(load).toThrow('The JWT public key (JWT_PUBLIC_KEY or JWT_KEY_DIR) is not a PEM public key');
    expect(load).not.toThrow(/secret-looking-garbage/);
  });

  it('generates a development pair into JWT_KEY_DIR once and reuses it after a restart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fittrack-keys-'));
    try {
      const config = parseConfig({ NODE_ENV: 'development', JWT_KEY_DIR: dir });
      const first = loadJwtKeys(config);
      expect(statSync(join(dir, 'jwt-private.pem')).mode & 0o777).toBe(0o600);
      expect(loadJwtKeys(config).publicKey.equals(first.publicKey)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
