import { Inject, Logger } from '@nestjs/common';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '@fittrack/core';

export interface JwtKeyPair {
  privateKey: string;
  publicKey: string;
}

/** PEM from an env variable, where newlines are often written as `\n`. */
const pem = (value: string) => value.replace(/\\n/g, '\n').trim() + '\n';

const generate = (): JwtKeyPair =>
  generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });

/**
 * The RS256 signing keys: JWT_PRIVATE_KEY/JWT_PUBLIC_KEY when set (required in production). Without them,
 * development generates a pair once into JWT_KEY_DIR and reuses it across restarts; tests keep one in memory.
 */
export function loadJwtKeys(config: AppConfig): JwtKeyPair {
  const { jwtPrivateKey, jwtPublicKey, keyDir } = config.auth;
  if (jwtPrivateKey && jwtPublicKey) return { privateKey: pem(jwtPrivateKey), publicKey: pem(jwtPublicKey) };
  if (config.nodeEnv === 'test') return (testKeys ??= generate());
  const privatePath = join(keyDir, 'jwt-private.pem');
  const publicPath = join(keyDir, 'jwt-public.pem');
  if (existsSync(privatePath) && existsSync(publicPath)) {
    return { privateKey: readFileSync(privatePath, 'utf8'), publicKey: readFileSync(publicPath, 'utf8') };
  }
  const keys = generate();
  mkdirSync(keyDir, { recursive: true });
  writeFileSync(privatePath, keys.privateKey, { mode: 0o600 });
  writeFileSync(publicPath, keys.publicKey);
  new Logger('Auth').warn(`Generated a development JWT key pair in ${keyDir}`);
  return keys;
}

/** One pair per test process: generating RSA keys for every app boot would slow the suites down. */
let testKeys: JwtKeyPair | undefined;

/** DI token for the loaded key pair. */
export const JWT_KEYS = {
  token: Symbol('JWT_KEYS'),
  inject: () => Inject(JWT_KEYS.token),
};
