import {
  candidate,
  drawKey,
  drawWinners,
  sha256HexOf,
  TicketsHasher,
  ticketsFromOwners,
  ticketsHashOf,
} from './fair-draw';

/** The test vectors of fair-draw.md, byte for byte. */
const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const C = '33333333-3333-4333-8333-333333333333';
const D = '44444444-4444-4444-8444-444444444444';
const SEED = Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString('hex');
const BEACON = '8a62e967fcd6dfa5d75308c37808b4668a7faf1cdb06e09ac0a7161827603887';
const OWNERS_1 = [A, A, A, A, B, B, B, C, C, D];
const OWNERS_3 = [A, B, A, B, A, B, A];

const winnersOf = async (key: Buffer, owners: string[], prizes: number) =>
  (await drawWinners(key, ticketsFromOwners(owners), [1, 2, 3].slice(0, prizes))).winners.map((w) => [
    w.prizeRank,
    w.ticketNumber,
    w.userId,
  ]);

describe('fittrack-draw-v1 test vectors', () => {
  it('the seed commitment is SHA-256 of the seed bytes', () => {
    expect(SEED).toBe('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
    expect(sha256HexOf(Buffer.from(SEED, 'hex'))).toBe(
      '630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd',
    );
  });

  it('vector 1: no beacon', async () => {
    const ticketsHash = ticketsHashOf(OWNERS_1);
    expect(ticketsHash).toBe('7556c80e70125db5e05430983d4d2418b184e16f6e6be84977c528c01258a0b5');
    const key = drawKey(SEED, null, ticketsHash);
    expect(key.toString('hex')).toBe('00fdd27af60a5d9473e4955921be3ebf6b916edda71e3929e2065925eec98e78');
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((c) => candidate(key, c, 10))).toEqual([2, 8, 6, 3, 4, 7, 8, 5]);
    expect(await winnersOf(key, OWNERS_1, 3)).toEqual([
      [1, 2, A],
      [2, 8, C],
      [3, 6, B],
    ]);
  });

  it('vector 2: with the beacon', async () => {
    const key = drawKey(SEED, BEACON, ticketsHashOf(OWNERS_1));
    expect(key.toString('hex')).toBe('d6b081b38c7c603fcd5222a11bf664a6e72a305c88034cebae6d91c7e54ee809');
    expect(await winnersOf(key, OWNERS_1, 3)).toEqual([
      [1, 4, A],
      [2, 9, C],
      [3, 7, B],
    ]);
  });

  it('vector 3: two owners, three prizes: rank 3 unawarded', async () => {
    const ticketsHash = ticketsHashOf(OWNERS_3);
    expect(ticketsHash).toBe('c4c886cdf9583928fa6ccd2b3538e20bf20889c88540817840075869da9a6768');
    expect(await winnersOf(drawKey(SEED, BEACON, ticketsHash), OWNERS_3, 3)).toEqual([
      [1, 1, A],
      [2, 2, B],
    ]);
  });

  it('vector 4: no tickets, no winners', async () => {
    const key = drawKey(SEED, null, ticketsHashOf([]));
    expect(await drawWinners(key, ticketsFromOwners([]), [1, 2, 3])).toEqual({ winners: [], nextCounter: 0 });
  });

  it('vector 5: a re-draw of rank 1 continues the sequence and skips every owner who won', async () => {
    const key = drawKey(SEED, null, ticketsHashOf(OWNERS_1));
    const tickets = ticketsFromOwners(OWNERS_1);
    const first = await drawWinners(key, tickets, [1, 2, 3]);
    expect(first.nextCounter).toBe(3);
    const redraw = await drawWinners(
      key,
      tickets,
      [1],
      first.nextCounter,
      new Set(first.winners.map((w) => w.userId)),
    );
    expect(redraw.winners).toEqual([{ prizeRank: 1, ticketNumber: 10, userId: D }]);
    // Candidates 3, 4, 7, 8, 5 (counters 3..7) belong to owners who had already won.
    expect([3, 4, 5, 6, 7].map((c) => candidate(key, c, 10))).toEqual([3, 4, 7, 8, 5]);
    expect(redraw.nextCounter).toBeGreaterThan(8);
  });

  it('refuses a ticket list with a gap or out of order', () => {
    const hasher = new TicketsHasher();
    hasher.add(1, A);
    expect(() => hasher.add(3, B)).toThrow('expected 2');
  });

  it('lower-cases user ids in the list', () => {
    expect(ticketsHashOf([A.toUpperCase()])).toBe(ticketsHashOf([A]));
  });
});

describe('fairness', () => {
  it('chi-square: over 20,000 draws of 10 tickets each ticket wins rank 1 equally often', async () => {
    const owners = Array.from(
      { length: 10 },
      (_, i) => `${i}`.padStart(8, '0') + '-0000-4000-8000-000000000000',
    );
    const tickets = ticketsFromOwners(owners);
    const counts = new Array<number>(10).fill(0);
    const draws = 20_000;
    for (let i = 0; i < draws; i++) {
      const seed = sha256HexOf(Buffer.from(`seed-${i}`));
      const { winners } = await drawWinners(drawKey(seed, null, ticketsHashOf(owners)), tickets, [1]);
      counts[winners[0].ticketNumber - 1]++;
    }
    const expected = draws / 10;
    const chiSquare = counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
    // 9 degrees of freedom: the 99.9th percentile is 27.88. Seeds are fixed, so the result is too.
    expect(chiSquare).toBeLessThan(27.88);
  });
});
