import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DRAND_QUICKNET, parseConfig } from '@fittrack/core';
import { roundAt, roundTime, verifyRound } from './beacon';

/** Real quicknet rounds published by the League of Entropy (fair-draw.md): verified offline. */
const ROUND_1000 = {
  round: 1000,
  signature:
    'b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39',
  randomness: 'fe290beca10872ef2fb164d2aa4442de4566183ec51c56ff3cd603d930e54fdd',
};
const ROUND_657413 = {
  round: 657413,
  signature:
    'b713718a38ae728dfd477991af2822e08d2f305e47718cef9f7848ce4050e7be41076862b98fad56e91a6b85b89cd97b',
  randomness: 'fc1873a13f3545aeade8401532ef5519920652eee6b0d2b19ca12643b87b3587',
};

describe('the drand beacon (fair-draw.md, The beacon, pinned)', () => {
  const chain = parseConfig({}).beacon;

  it('pins quicknet by default, as fair-draw.md and .env.example publish it', () => {
    expect(chain).toMatchObject({
      url: undefined,
      chainHash: '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971',
      publicKey:
        '83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a',
      periodSeconds: 3,
      genesisTime: 1692803367,
      scheme: 'bls-unchained-g1-rfc9380',
    });
    const example = readFileSync(join(__dirname, '../../../../.env.example'), 'utf8');
    const value = (name: string) => new RegExp(`^${name}=(.*)$`, 'm').exec(example)?.[1];
    expect(value('BEACON_URL')).toBe('');
    expect(value('BEACON_CHAIN_HASH')).toBe(DRAND_QUICKNET.chainHash);
    expect(value('BEACON_PUBLIC_KEY')).toBe(DRAND_QUICKNET.publicKey);
    expect(Number(value('BEACON_PERIOD_S'))).toBe(DRAND_QUICKNET.periodSeconds);
    expect(Number(value('BEACON_GENESIS_TIME'))).toBe(DRAND_QUICKNET.genesisTime);
    expect(value('BEACON_SCHEME')).toBe(DRAND_QUICKNET.scheme);
  });

  it('refuses a malformed pinned key or chain hash', () => {
    expect(() => parseConfig({ BEACON_PUBLIC_KEY: 'abcd', BEACON_CHAIN_HASH: 'zz' })).toThrow(
      /BEACON_CHAIN_HASH must be 32 bytes in hex[\s\S]*BEACON_PUBLIC_KEY must be 96 bytes in hex/,
    );
  });

  it('the round of a drawing is the first emitted at or after drawing_time', () => {
    const genesis = new Date(DRAND_QUICKNET.genesisTime * 1000);
    expect(roundAt(genesis, chain)).toBe(1);
    expect(roundAt(new Date(genesis.getTime() + 1), chain)).toBe(2);
    expect(roundAt(new Date(genesis.getTime() + 3000), chain)).toBe(2);
    expect(roundAt(new Date(genesis.getTime() + 3001), chain)).toBe(3);
    const at = new Date('2026-01-16T13:05:00Z');
    const round = roundAt(at, chain);
    expect(roundTime(round, chain).getTime()).toBeGreaterThanOrEqual(at.getTime());
    expect(roundTime(round - 1, chain).getTime()).toBeLessThan(at.getTime());
  });

  it('verifies the real rounds 1000 and 657413 against the pinned key', async () => {
    expect(await verifyRound(chain, ROUND_1000, 1000)).toBe(true);
    expect(await verifyRound(chain, ROUND_657413, 657413)).toBe(true);
  });

  it('refuses a signature presented for another round, one byte changed, or randomness not SHA-256 of it', async () => {
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await verifyRound(chain, { ...ROUND_1000, round: 1001 }, 1001)).toBe(false);
    expect(await verifyRound(chain, ROUND_1000, 1001)).toBe(false);
    const flipped = (hex: string) => `${hex.slice(0, 10)}${hex[10] === '0' ? '1' : '0'}${hex.slice(11)}`;
    expect(await verifyRound(chain, { ...ROUND_1000, signature: flipped(ROUND_1000.signature) }, 1000)).toBe(
      false,
    );
    expect(await verifyRound(chain, { ...ROUND_1000, randomness: ROUND_657413.randomness }, 1000)).toBe(
      false,
    );
    const otherKey = { ...chain, publicKey: DRAND_QUICKNET.publicKey.replace(/^83/, '93') };
    expect(await verifyRound(otherKey, ROUND_1000, 1000)).toBe(false);
    quiet.mockRestore();
  });
});
