import { signTerraPayload, verifyTerraSignature } from './terra-signature';

// terra.md's test vector.
const SECRET = '66142e0c2960f788b19830807d4aa25cfd27a610ec65fd36';
const BODY =
  '{"user": {"last_webhook_update": null, "provider": "FITBIT", "user_id": "d81ea08d-ad4d-44bd-8394-ee4b68a3f96f", "scopes": null}, "type": "deauth", "status": "success", "message": "User has deauthenticated", "version": "2022-03-16"}';
const HEADER = 't=1669742999,v1=c885ce58891b69ab5b6c8fc7536544f4f515f2e22ec811152849295b3d995c93';
const AT = 1669742999;

describe('verifyTerraSignature', () => {
  const verify = (header: string | undefined, now = AT, body = BODY, secret = SECRET) =>
    verifyTerraSignature(Buffer.from(body), header, secret, now, 300);

  it("accepts Terra's published test vector, and our signer produces it", () => {
    expect(verify(HEADER)).toBe(true);
    expect(signTerraPayload(BODY, SECRET, AT)).toBe(HEADER);
  });

  it('accepts a valid v1 among several', () => {
    expect(verify(`t=${AT},v1=${'a'.repeat(64)},${HEADER.split(',')[1]}`)).toBe(true);
  });

  it('refuses a missing, wrong, tampered, expired or malformed signature', () => {
    expect(verify(undefined)).toBe(false);
    expect(verify('')).toBe(false);
    expect(verify(HEADER, AT, BODY, 'another-secret')).toBe(false);
    expect(verify(HEADER, AT, BODY.replace('deauth', 'auth'))).toBe(false);
    expect(verify(HEADER, AT + 301)).toBe(false);
    expect(verify(HEADER, AT - 301)).toBe(false);
    expect(verify(HEADER, AT + 300)).toBe(true);
    expect(verify(`v1=${HEADER.split('v1=')[1]}`)).toBe(false);
    expect(verify(`t=${AT},v1=zz`)).toBe(false);
    expect(verify(`t=abc,v1=${HEADER.split('v1=')[1]}`)).toBe(false);
    expect(verify('garbage')).toBe(false);
  });
});
