import fc from 'fast-check';
import { SYSTEM_PRINCIPAL } from '@fittrack/core';
import { LeaderboardsRepository, PERIODS, periodKey } from '@fittrack/leaderboards';
import { PointTransactionsRepository } from '@fittrack/points';
import { type FitnessLevel, UsersRepository, UsersService } from '@fittrack/users';
import { createTestApp, type TestApp } from '../support/test-app';
import { createMember, earn, type Member } from './members';

interface Row {
  userId: string;
  points: number;
}

/**
 * Every board equals one computed naively from the ledger: per user and period, the sum of the earning
 * entries whose day falls in it, on the board of the user's tier now; ordered by points, then the time of
 * the last change, then id; 0 or less not ranked.
 */
async function naiveBoards(t: TestApp, members: Member[]): Promise<Map<string, Row[]>> {
  const rows = new Map<string, { userId: string; points: number; reachedAt: number }[]>();
  for (const member of members) {
    const tier = (await t.app.get(UsersRepository).get(member.user.id))!.profile!.tierCode;
    const entries = (
      await t.app
        .get(PointTransactionsRepository)
        .list({ page: 1, per_page: 100, sort: 'sequence', filter: { user_id: member.user.id } })
    ).data.filter((entry) => entry.earnedOn);
    const totals = new Map<string, { points: number; reachedAt: number }>();
    for (const entry of entries) {
      for (const period of PERIODS) {
        const key = periodKey(period, entry.earnedOn!);
        const total = totals.get(key) ?? { points: 0, reachedAt: 0 };
        totals.set(key, { points: total.points + entry.amount, reachedAt: entry.createdAt.getTime() });
      }
    }
    for (const [key, total] of totals) {
      const board = `${tier}|${key}`;
      rows.set(board, [...(rows.get(board) ?? []), { userId: member.user.id, ...total }]);
    }
  }
  return new Map(
    [...rows].map(([board, list]) => [
      board,
      list
        .filter((row) => row.points > 0)
        .sort((a, b) => b.points - a.points || a.reachedAt - b.reachedAt || (a.userId < b.userId ? -1 : 1))
        .map(({ userId, points }) => ({ userId, points })),
    ]),
  );
}

/** The boards as the service reads them, limited to `members` (other tests' users share the boards). */
async function actualBoards(t: TestApp, boards: string[], members: Member[]): Promise<Map<string, Row[]>> {
  const ids = new Set(members.map((member) => member.user.id));
  const repository = t.app.get(LeaderboardsRepository);
  const result = new Map<string, Row[]>();
  for (const board of boards) {
    const [tierCode, key] = board.split('|');
    const ranked = await repository.ranked({ tierCode, periodKey: key }, 0, 1000);
    const mine = ranked.filter((row) => ids.has(row.userId));
    if (mine.length)
      result.set(
        board,
        mine.map(({ userId, points }) => ({ userId, points })),
      );
    // Ranks are 1..n without gaps.
    expect(ranked.map((row) => row.rank)).toEqual(ranked.map((_, i) => i + 1));
  }
  return result;
}

async function expectBoardsMatchLedger(t: TestApp, members: Member[]): Promise<void> {
  const naive = await naiveBoards(t, members);
  const boards = [...naive.keys()];
  const nonEmpty = new Map([...naive].filter(([, rows]) => rows.length));
  expect(await actualBoards(t, boards, members)).toEqual(nonEmpty);
  // The caller's position agrees with the board too.
  const repository = t.app.get(LeaderboardsRepository);
  for (const board of nonEmpty.keys()) {
    const [tierCode, key] = board.split('|');
    const full = await repository.ranked({ tierCode, periodKey: key }, 0, 1000);
    for (const row of full.filter((r) => members.some((m) => m.user.id === r.userId))) {
      const position = await repository.position({ tierCode, periodKey: key }, row.userId);
      expect(position).toEqual({ rank: row.rank, points: row.points, reachedAt: expect.anything() });
      // around_me (two keyset scans, ties included) is the full board's slice of ±2 ranks.
      expect(await repository.around({ tierCode, periodKey: key }, row.userId, position!, 2)).toEqual(
        full.slice(Math.max(0, row.rank - 3), row.rank + 2),
      );
    }
  }
}

describe('leaderboards equal the ledger', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ now: '2027-03-01T15:00:00Z' });
    t.clock.freeze();
  });
  afterAll(() => t.close());

  const FITNESS: FitnessLevel[] = ['beginner', 'intermediate', 'advanced'];
  const action = fc.oneof(
    fc.record({
      kind: fc.constant('award' as const),
      user: fc.nat(3),
      amount: fc.integer({ min: 1, max: 400 }),
      day: fc.nat(40),
    }),
    fc.record({
      kind: fc.constant('revise' as const),
      user: fc.nat(3),
      amount: fc.integer({ min: 1, max: 200 }),
      day: fc.nat(40),
    }),
    fc.record({
      kind: fc.constant('tier' as const),
      user: fc.nat(3),
      fitness: fc.nat(2),
      open: fc.boolean(),
    }),
  );

  it('for random awards, revisions and tier changes, every board equals one computed from the ledger', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 14 }), async (actions) => {
        const members: Member[] = [];
        for (let i = 0; i < 4; i++) {
          members.push(
            await createMember(t, { sex: 'female', dateOfBirth: '1988-08-08', fitness: 'beginner' }),
          );
        }
        for (const step of actions) {
          t.clock.advance(1000);
          const member = members[step.user];
          // Days from 2027-02-01 through 2027-03-13: several days, weeks and two months.
          const day = new Date(Date.UTC(2027, 1, 1 + ('day' in step ? step.day : 0)))
            .toISOString()
            .slice(0, 10);
          if (step.kind === 'award') await earn(t, member.user, step.amount, day);
          else if (step.kind === 'revise') {
            const balance = (await t.app.get(UsersRepository).get(member.user.id))!.pointBalance;
            if (balance > 0) await earn(t, member.user, -step.amount, day);
          } else {
            await t.app
              .get(UsersService)
              .update(
                member.user.id,
                { fitness_level: FITNESS[step.fitness], open_tier_opt_in: step.open },
                SYSTEM_PRINCIPAL,
              );
          }
        }
        await expectBoardsMatchLedger(t, members);
      }),
      { numRuns: 12 },
    );
  });

  it('parallel awards to users of one tier leave the rollups equal to the ledger', async () => {
    const members: Member[] = [];
    for (let i = 0; i < 6; i++) {
      members.push(await createMember(t, { sex: 'male', dateOfBirth: '1977-07-07', fitness: 'advanced' }));
    }
    const awards = Array.from({ length: 60 }, (_, i) => ({
      member: members[i % members.length],
      amount: 1 + ((i * 37) % 90),
      day: i % 3 === 0 ? '2027-02-27' : '2027-03-01',
    }));
    await Promise.all(awards.map((award) => earn(t, award.member.user, award.amount, award.day)));
    await expectBoardsMatchLedger(t, members);
    const alltime = await t.app
      .get(LeaderboardsRepository)
      .ranked({ tierCode: 'M-40-49-ADV', periodKey: 'alltime' }, 0, 1000);
    const sum = alltime
      .filter((row) => members.some((m) => m.user.id === row.userId))
      .reduce((s, r) => s + r.points, 0);
    expect(sum).toBe(awards.reduce((s, award) => s + award.amount, 0));
  });
});
