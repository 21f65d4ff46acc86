import { Inject, Logger, Module } from '@nestjs/common';
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AppConfig, appConfig } from '@fittrack/core';

/** Parsed once: handing PEM text to jsonwebtoken would parse the key again on every request. */
export interface JwtKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** PEM from an env variable, where newlines are often written as `\n`. */
const pem = (value: string) => value.replace(/\\n/g, '\n').trim() + '\n';

function fromPem(privatePem: string, publicPem: string): JwtKeyPair {
  return {
    privateKey: parse(createPrivateKey, privatePem, 'private'),
    publicKey: parse(createPublicKey, publicPem, 'public'),
  };
}

/** Fails the boot naming the key, never echoing it. */
function parse(create: (pem: string) => KeyObject, text: string, kind: 'private' | 'public'): KeyObject {
  try {
    return create(text);
  } catch {
    throw new Error(
      `The JWT ${kind} key (JWT_${kind.toUpperCase()}_KEY or JWT_KEY_DIR) is not a PEM ${kind} key`,
    );
  }
}

const generate = (): JwtKeyPair => generateKeyPairSync('rsa', { modulusLength: 2048 });

/**
 * The RS256 signing keys: JWT_PRIVATE_KEY/JWT_PUBLIC_KEY when set (required in production). Without them,
 * development generates a pair once into JWT_KEY_DIR and reuses it across restarts; tests keep one in memory.
 */
export function loadJwtKeys(config: AppConfig): JwtKeyPair {
  const { jwtPrivateKey, jwtPublicKey, keyDir } = config.auth;
  if (jwtPrivateKey && jwtPublicKey) return fromPem(pem(jwtPrivateKey), pem(jwtPublicKey));
  if (config.nodeEnv === 'test') return (testKeys ??= generate());
  const privatePath = join(keyDir, 'jwt-private.pem');
  const publicPath = join(keyDir, 'jwt-public.pem');
  if (existsSync(privatePath) && existsSync(publicPath)) {
    return fromPem(readFileSync(privatePath, 'utf8'), readFileSync(publicPath, 'utf8'));
  }
  const keys = generate();
  mkdirSync(keyDir, { recursive: true });
  writeFileSync(privatePath, keys.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  writeFileSync(publicPath, keys.publicKey.export({ type: 'spki', format: 'pem' }));
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

/** Provides the pair once per app: JwtModule signs and verifies with it. */
@Module({
  providers: [{ provide: JWT_KEYS.token, inject: [appConfig.KEY], useFactory: loadJwtKeys }],
  exports: [JWT_KEYS.token],
})
export class JwtKeysModule {}
