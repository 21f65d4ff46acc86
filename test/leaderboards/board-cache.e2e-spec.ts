import fc from 'fast-check';
import { Metrics, SYSTEM_PRINCIPAL } from '@fittrack/core';
import {
  AROUND_ME,
  currentWindow,
  LeaderboardRollup,
  LeaderboardsRepository,
  LeaderboardsService,
  type Period,
  WHOLE_BOARD_MAX,
} from '@fittrack/leaderboards';
import { type FitnessLevel, UsersRepository, UsersService } from '@fittrack/users';
import { DataSource } from 'typeorm';
import { type IsolatedDatabase, isolatedDatabase } from '../support/isolated-database';
import { createTestApp, type TestApp, withEnv } from '../support/test-app';
import { createMember, earn, type Member } from './members';

/**
 * Cached board reads (ADR 0031), both ways a board is cached: whole (one entry per board generation
 * serves every page and every caller's position) and in parts (pages and each caller's position apart,
 * as boards larger than WHOLE_BOARD_MAX are; forced here by lowering the limit).
 */
describe.each([
  ['whole', WHOLE_BOARD_MAX],
  ['in parts', 0],
])('boards cached %s', (_, wholeBoardMax) => {
  let t: TestApp;
  // Cache counts are asserted: on PostgreSQL other files' awards would start new board generations.
  let database: IsolatedDatabase;

  beforeAll(async () => {
    database = await isolatedDatabase('boardcache');
    // Wednesday 11 March 2026, 12:00 in New York.
    t = await withEnv(database.env, () => createTestApp({ now: '2026-03-11T16:00:00Z' }));
    t.clock.freeze();
    t.app.get(LeaderboardsService).wholeBoardMax = wholeBoardMax;
  }, 60_000); // a database of its own, migrated at boot on PostgreSQL
  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });

  const newMember = (fitness: FitnessLevel = 'beginner') =>
    createMember(t, { sex: 'female', dateOfBirth: '1990-06-06', fitness });
  const tierOf = async (member: Member) =>
    (await t.app.get(UsersRepository).get(member.user.id))!.profile!.tierCode!;

  /** The body as sent, and parsed. */
  async function read(member: Member, period: Period, query: Record<string, string | number> = {}) {
    const res = await member.client.get(`/leaderboards/${period}`).query(query).expect(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    return { text: res.text, body: res.body as Record<string, unknown> };
  }

  /** What the board is in the database now, for `member`, read without the cache. */
  async function fromDatabase(
    member: Member,
    period: Period,
    tierCode: string,
    page: number,
    perPage: number,
  ) {
    const rollups = t.app.get(LeaderboardsRepository);
    const window = currentWindow(period, t.clock.now(), 'America/New_York');
    const board = { tierCode, periodKey: window.key };
    const total = await rollups.count(board);
    const position = await rollups.position(board, member.user.id);
    const around = position ? await rollups.around(board, member.user.id, position, AROUND_ME) : [];
    const rankings = await rollups.ranked(board, (page - 1) * perPage, perPage);
    const names = await t.app
      .get(UsersRepository)
      .displayNames([...rankings, ...around].map((row) => row.userId));
    const row = (r: { rank: number; userId: string; points: number }) => ({
      rank: r.rank,
      user_id: r.userId,
      display_name: names.get(r.userId),
      tier_code: tierCode,
      points: r.points,
    });
    return {
      period,
      tier_code: tierCode,
      period_start: window.start?.toISOString() ?? null,
      period_end: window.end?.toISOString() ?? null,
      next_reset_at: window.nextResetAt?.toISOString() ?? null,
      generated_at: expect.any(String),
      total_users: total,
      rankings: rankings.map(row),
      my_position: position && { rank: position.rank, points: position.points },
      around_me: around.map(row),
      meta: { page, per_page: perPage, total, total_pages: Math.ceil(total / perPage) },
    };
  }

  async function cacheCounts() {
    const { values } = await t.app.get(Metrics).leaderboardCache.get();
    const count = (outcome: string) => values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
    return { hits: count('hit'), misses: count('miss') };
  }

  const FITNESS: FitnessLevel[] = ['beginner', 'intermediate', 'advanced'];
  const PERIODS_READ: Period[] = ['daily', 'weekly', 'monthly', 'alltime'];
  const action = fc.oneof(
    fc.record({
      kind: fc.constant('award' as const),
      user: fc.nat(4),
      amount: fc.integer({ min: 1, max: 300 }),
    }),
    fc.record({
      kind: fc.constant('correct' as const),
      user: fc.nat(4),
      amount: fc.integer({ min: 1, max: 200 }),
    }),
    fc.record({ kind: fc.constant('tier' as const), user: fc.nat(4), fitness: fc.nat(2) }),
    fc.record({
      kind: fc.constant('read' as const),
      user: fc.nat(4),
      period: fc.nat(3),
      page: fc.integer({ min: 1, max: 3 }),
      perPage: fc.constantFrom(1, 2, 3, 100),
    }),
  );

  it('every read equals the board in the database, between random awards, corrections and tier changes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 16 }), async (actions) => {
        const members = await Promise.all(Array.from({ length: 5 }, () => newMember()));
        for (const step of actions) {
          t.clock.advance(1000);
          const member = members[step.user];
          // Days of this week: yesterday's earning is on this week's board but not on today's.
          const day = step.user % 2 ? '2026-03-11' : '2026-03-10';
          if (step.kind === 'award') await earn(t, member.user, step.amount, day);
          else if (step.kind === 'correct') {
            const balance = (await t.app.get(UsersRepository).get(member.user.id))!.pointBalance;
            if (balance > 0) await earn(t, member.user, -step.amount, day);
          } else if (step.kind === 'tier') {
            await t.app
              .get(UsersService)
              .update(member.user.id, { fitness_level: FITNESS[step.fitness] }, SYSTEM_PRINCIPAL);
          } else {
            const period = PERIODS_READ[step.period];
            const { text, body } = await read(member, period, { page: step.page, per_page: step.perPage });
            expect(body).toEqual(
              await fromDatabase(member, period, await tierOf(member), step.page, step.perPage),
            );
            // The assembled text is the JSON the response object serialises to, byte for byte.
            expect(text).toBe(JSON.stringify(body));
          }
        }
      }),
      { numRuns: 25 },
    );
  }, 120_000);

  it('an award shows on every caller’s next read; the other callers’ reads stay hits where the board is whole', async () => {
    const members: Member[] = [];
    for (const [i, points] of [400, 300, 200, 100].entries()) {
      // A tier of its own (the property above moves its members over the F-30-39 tiers).
      members.push(await createMember(t, { sex: 'male', dateOfBirth: '1990-06-06', fitness: 'advanced' }));
      t.clock.advance(1000);
      await earn(t, members[i].user, points, '2026-03-11');
    }
    const rank = async (member: Member) =>
      ((await read(member, 'daily')).body.my_position as { rank: number }).rank;
    const before = await cacheCounts();
    const firstRanks: number[] = [];
    for (const member of members) firstRanks.push(await rank(member));
    expect(firstRanks).toEqual([1, 2, 3, 4]);
    const first = await cacheCounts();

    // The last one passes the two in the middle: their ranks move, and so does theirs.
    await earn(t, members[3].user, 250, '2026-03-11');
    const ranks: number[] = [];
    for (const member of members) ranks.push(await rank(member));
    expect(ranks).toEqual([1, 3, 4, 2]);
    const second = await cacheCounts();

    // Reads sent together after an award: the same counts (reads at the same instant share a load).
    await earn(t, members[2].user, 500, '2026-03-11');
    expect(await Promise.all(members.map(rank))).toEqual([2, 4, 1, 3]);
    const third = await cacheCounts();

    // Whole: one load per board generation for all four callers. In parts: each caller's position
    // is its own entry, loaded once per generation.
    const misses = wholeBoardMax > 0 ? 1 : 4;
    expect(first.misses - before.misses).toBe(misses);
    expect(first.hits - before.hits).toBe(4 - misses);
    expect(second.misses - first.misses).toBe(misses);
    expect(second.hits - first.hits).toBe(4 - misses);
    expect(third.misses - second.misses).toBe(misses);
    expect(third.hits - second.hits).toBe(4 - misses);
  });

  it('a cached read is served from the cache: a change it is not told about stays unseen', async () => {
    const [me, other] = [await newMember('intermediate'), await newMember('intermediate')];
    await earn(t, me.user, 50, '2026-03-11');
    await earn(t, other.user, 40, '2026-03-11');
    expect((await read(me, 'monthly')).body.total_users).toBeGreaterThanOrEqual(2);
    await read(other, 'monthly');
    const { affected } = await t.app
      .get(DataSource)
      .createQueryBuilder()
      .update(LeaderboardRollup)
      .set({ points: () => 'points + 7' })
      .where('user_id = :id AND period_key = :key', { id: other.user.id, key: 'monthly:2026-03' })
      .execute();
    expect(affected).toBe(1);
    const mine = (await read(other, 'monthly')).body as { my_position: { points: number } };
    expect(mine.my_position.points).toBe(40);
    // Then an award on the board (told): everything fresh, the untold change included.
    await earn(t, me.user, 1, '2026-03-11');
    expect(((await read(other, 'monthly')).body as typeof mine).my_position.points).toBe(47);
  });
});
