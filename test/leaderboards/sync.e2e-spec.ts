import type { User } from '@fittrack/users';
import { type ApiClient, asUser } from '../support/api-client';
import { createTestApp, type TestApp } from '../support/test-app';
import { engineUser, expectLedgerInvariant, ingest, workout } from '../points/engine';

/**
 * Checkpoint 4, "Cache is invalidated when new activities sync": points paid by the engine
 * (IngestionService.ingest, as a tracker sync does) show on the next read of every cached board.
 */
describe('leaderboards after a sync', () => {
  let t: TestApp;
  let a: User;
  let b: User;
  let asA: ApiClient;

  beforeAll(async () => {
    // Noon on Wednesday 14 October 2026 in New York: a week no other leaderboard test uses.
    t = await createTestApp({ now: '2026-10-14T16:00:00Z' });
    t.clock.freeze();
    [a, b] = [await engineUser(t, { tier: 'M-30-39-INT' }), await engineUser(t, { tier: 'M-30-39-INT' })];
    asA = asUser(t, a);
  });
  afterAll(async () => {
    for (const each of [a, b]) await expectLedgerInvariant(t, each);
    await t.close();
  });

  const PERIODS = ['daily', 'weekly', 'monthly', 'alltime'];
  const read = async (period: string) =>
    (await asA.get(`/leaderboards/${period}`).expect(200)).body as {
      tier_code: string;
      rankings: { user_id: string; points: number }[];
      my_position: { rank: number; points: number } | null;
    };
  /** Our two users as the board orders them, with their points. */
  const ours = async (period: string) =>
    (await read(period)).rankings
      .filter((row) => row.user_id === a.id || row.user_id === b.id)
      .map((row) => [row.user_id === a.id ? 'A' : 'B', row.points]);

  it('a synced award shows on the next read of every cached board, and so does a downward revision', async () => {
    const first = await ingest(t, [workout(b, '2026-10-14T13:00:00Z', 40)]);
    expect(first.paid).toBeGreaterThan(0);
    const mine = workout(a, '2026-10-14T14:00:00Z', 20);
    const second = await ingest(t, [mine]);
    expect(second.paid).toBeGreaterThan(0);
    expect(second.paid).toBeLessThan(first.paid);
    for (const period of PERIODS) {
      expect((await read(period)).tier_code).toBe('M-30-39-INT');
      expect(await ours(period)).toEqual([
        ['B', first.paid],
        ['A', second.paid],
      ]);
      expect(await ours(period)).toEqual([
        ['B', first.paid],
        ['A', second.paid],
      ]); // now cached
    }

    // A's tracker syncs a longer workout: A overtakes B on every board at once.
    const third = await ingest(t, [workout(a, '2026-10-14T15:00:00Z', 45)]);
    expect(second.paid + third.paid).toBeGreaterThan(first.paid);
    for (const period of PERIODS) {
      expect(await ours(period)).toEqual([
        ['A', second.paid + third.paid],
        ['B', first.paid],
      ]);
      expect((await read(period)).my_position?.points).toBe(second.paid + third.paid);
    }

    // The tracker revises A's first workout down to 5 minutes: the boards go down with the ledger.
    const revised = await ingest(t, [
      { ...mine, durationMinutes: 5, endTime: new Date('2026-10-14T14:05:00Z') },
    ]);
    expect(revised.paid).toBeLessThan(0);
    const total = second.paid + third.paid + revised.paid;
    for (const period of PERIODS) {
      expect((await read(period)).my_position?.points).toBe(total);
    }
  });
});
