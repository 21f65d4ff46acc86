import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export interface Sealed {
  /** base64url(iv).base64url(tag).base64url(ciphertext) */
  value: string;
  keyId: string;
}

/**
 * AES-256-GCM for personal and provider data at rest. Each value is stored with the id of the key that sealed it, so a
 * rotation adds a new current key and keeps the old ones for reading (ENCRYPTION_PREVIOUS_KEYS).
 */
export class SecretBox {
  private readonly keys = new Map<string, Buffer>();

  constructor(
    currentKey: Buffer,
    private readonly currentKeyId: string,
    previousKeys: Array<[id: string, key: Buffer]> = [],
  ) {
    for (const [id, key] of [...previousKeys, [currentKeyId, currentKey] as [string, Buffer]]) {
      if (key.length !== 32) throw new Error(`Encryption key ${id} must be 32 bytes`);
      this.keys.set(id, key);
    }
  }

  /**
   * From config: ENCRYPTION_KEY (base64), or outside production a fixed development key (production
   * refuses to start without one, see app-config).
   */
  static fromConfig(config: { key?: string; keyId: string; previousKeys: string }): SecretBox {
    const current = config.key
      ? Buffer.from(config.key, 'base64')
      : createHash('sha256').update('fittrack-development-only-key').digest();
    const previous = config.previousKeys
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean)
      .map((entry): [string, Buffer] => {
        const at = entry.indexOf(':');
        return [entry.slice(0, at), Buffer.from(entry.slice(at + 1), 'base64')];
      });
    return new SecretBox(current, config.keyId, previous);
  }

  /** Key material for signing (the current key; derive from it, never use it directly). */
  stateKey(): Buffer {
    return this.keys.get(this.currentKeyId)!;
  }

  seal(plaintext: string): Sealed {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId)!, iv);
    // The key id is authenticated too: a value cannot be passed off as sealed by another key.
    cipher.setAAD(Buffer.from(this.currentKeyId));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url'));
    return { value: parts.join('.'), keyId: this.currentKeyId };
  }

  open(sealed: Sealed): string {
    const key = this.keys.get(sealed.keyId);
    if (!key) throw new Error(`Unknown encryption key id ${sealed.keyId}`);
    const [iv, tag, ciphertext] = sealed.value.split('.').map((part) => Buffer.from(part, 'base64url'));
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(sealed.keyId));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  }
}
