import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Provider } from './entities/tracker-connection.entity';

export interface ConnectState {
  userId: string;
  provider: Provider;
  /** Expiry, unix seconds. */
  exp: number;
}

/**
 * The `state` carried through Terra's widget: who started the connection, for which provider, until when;
 * HMAC-SHA256 signed with a key derived (HKDF) from ENCRYPTION_KEY, so only we can mint one.
 */
export class ConnectStateSigner {
  private readonly key: Buffer;

  constructor(secret: Buffer) {
    this.key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'fittrack connect state', 32));
  }

  sign(state: ConnectState): string {
    const body = Buffer.from(JSON.stringify({ ...state, n: randomBytes(8).toString('hex') })).toString(
      'base64url',
    );
    return `${body}.${this.mac(body)}`;
  }

  /** The state if it is ours and unexpired at `nowSeconds`; null otherwise. */
  verify(token: string | undefined, nowSeconds: number): ConnectState | null {
    if (typeof token !== 'string' || token.length > 1000) return null;
    const [body, mac, extra] = token.split('.');
    if (!body || !mac || extra !== undefined) return null;
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    try {
      const state = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as ConnectState;
      if (typeof state.userId !== 'string' || typeof state.provider !== 'string') return null;
      return typeof state.exp === 'number' && state.exp >= nowSeconds ? state : null;
    } catch {
      return null;
    }
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
