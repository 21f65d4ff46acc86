import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
// drand-client's own BLS library (in the lock through it): the fake signs as a drand quicknet node does.
import { bls12_381 as bls } from '@noble/curves/bls12-381';

/** Real quicknet rounds (fair-draw.md): the fake can serve them for the pinned quicknet chain. */
export const RECORDED_QUICKNET_ROUNDS = [
  {
    round: 1000,
    signature:
      'b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39',
    randomness: 'fe290beca10872ef2fb164d2aa4442de4566183ec51c56ff3cd603d930e54fdd',
  },
  {
    round: 657413,
    signature:
      'b713718a38ae728dfd477991af2822e08d2f305e47718cef9f7848ce4050e7be41076862b98fad56e91a6b85b89cd97b',
    randomness: 'fc1873a13f3545aeade8401532ef5519920652eee6b0d2b19ca12643b87b3587',
  },
];

export interface FakeBeacon {
  url: string;
  /** The environment pinning this fake's chain (its own key, quicknet's timing and scheme). */
  env: Record<string, string>;
  /** Rounds requested so far. */
  requests: number[];
  /** Serves a wrong signature for every round from now on (tampering). */
  tamper(): void;
  close(): Promise<void>;
}

/**
 * A drand HTTP endpoint (`GET /public/{round}`) with a key of its own, signing rounds as quicknet does
 * (bls-unchained-g1-rfc9380: a G1 signature over SHA-256 of the round as uint64 big-endian; randomness =
 * SHA-256 of the signature). A round is served only once emitted by `now()` (the test clock); recorded
 * rounds are served as they are.
 */
export async function startFakeBeacon(now: () => Date): Promise<FakeBeacon> {
  const secret = bls.utils.randomPrivateKey();
  const publicKey = Buffer.from(bls.getPublicKeyForShortSignatures(secret)).toString('hex');
  const genesis = 1692803367;
  const period = 3;
  const requests: number[] = [];
  let tampered = false;

  const sign = (round: number) => {
    const message = Buffer.alloc(8);
    message.writeBigUInt64BE(BigInt(round));
    const digest = createHash('sha256').update(message).digest();
    const signature = tampered
      ? randomBytes(48)
      : Buffer.from(bls.signShortSignature(digest, secret) as Uint8Array);
    return {
      round,
      signature: signature.toString('hex'),
      randomness: createHash('sha256').update(signature).digest('hex'),
    };
  };

  const server: Server = createServer((req, res) => {
    const match = /^\/public\/(\d+)(\?.*)?$/.exec(req.url ?? '');
    if (!match) return res.writeHead(404).end();
    const round = Number(match[1]);
    requests.push(round);
    const recorded = RECORDED_QUICKNET_ROUNDS.find((r) => r.round === round);
    const emitted = (genesis + (round - 1) * period) * 1000 <= now().getTime();
    if (!recorded && !emitted) return res.writeHead(404).end('{"error":"round not yet available"}');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(recorded ?? sign(round)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    env: {
      BEACON_URL: url,
      BEACON_PUBLIC_KEY: publicKey,
      BEACON_CHAIN_HASH: createHash('sha256').update(publicKey).digest('hex'),
      BEACON_TIMEOUT_MS: '2000',
    },
    requests,
    tamper: () => (tampered = true),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
