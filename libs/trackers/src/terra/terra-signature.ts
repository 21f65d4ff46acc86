import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Terra's webhook signature (terra.md): header `t=<unix s>,v1=<hex>[,v1=<hex>…]`, v1 = HMAC-SHA256 with
 * the signing secret over `<t>.<raw body>`. Ours rather than the SDK's verifyTerraWebhookSignature: it
 * reads the injectable clock and never logs (the SDK's calls Date.now and console.error).
 */
export function verifyTerraSignature(
  rawBody: Buffer,
  header: string | undefined,
  secret: string,
  nowSeconds: number,
  toleranceSeconds: number,
): boolean {
  if (!header || !secret) return false;
  let timestamp: string | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    const key = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (key === 't') timestamp = value;
    else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) signatures.push(Buffer.from(value, 'hex'));
  }
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || signatures.length === 0) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
  // Every candidate is compared (no early exit on the first match), each in constant time.
  let valid = false;
  for (const signature of signatures) valid = timingSafeEqual(signature, expected) || valid;
  return valid;
}

/** The header value Terra would send for `body` at `timestamp` (the fake Terra and tests sign with it). */
export function signTerraPayload(body: string | Buffer, secret: string, timestamp: number): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
  return `t=${timestamp},v1=${v1}`;
}
