import { randomBytes } from 'node:crypto';
import { ConnectStateSigner } from './connections.state';

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
