import { JobName, QueuePort } from '@fittrack/core';
import { LeaderboardsRepository } from '@fittrack/leaderboards';
import { SchedulerTicks } from '@fittrack/scheduler';
import { UsersRepository } from '@fittrack/users';
import { asAdmin } from '../support/api-client';
import { type IsolatedDatabase, isolatedDatabase } from '../support/isolated-database';
import { createTestApp, type TestApp, withEnv } from '../support/test-app';
import { createMember, earn, type Member, spend } from './members';

/** Checkpoint 4 (plan): tiers and boards, through the HTTP API, on points posted through the ledger. */
describe('tiers and leaderboards', () => {
  let t: TestApp;
  // Whole boards are asserted: on PostgreSQL other files' users (seeded ones among them) would join them.
  let database: IsolatedDatabase;

  beforeAll(async () => {
    database = await isolatedDatabase('boards');
    // Friday 16 January 2026, 15:00 in New York.
    t = await withEnv(database.env, () => createTestApp({ now: '2026-01-16T20:00:00Z' }));
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });

  const board = async (member: Member, period: string, query: Record<string, string | number> = {}) =>
    (await member.client.get(`/leaderboards/${period}`).query(query).expect(200)).body;
  const names = (rankings: { display_name: string }[]) => rankings.map((r) => r.display_name);
  const tierOf = async (member: Member) =>
    (await t.app.get(UsersRepository).get(member.user.id))!.profile!.tierCode;

  describe('tier assignment', () => {
    it('a male born 1990-05-15, intermediate, is M-30-39-INT', async () => {
      const member = await createMember(t, { sex: null, fitness: null });
      expect(await tierOf(member)).toBeNull();
      const res = await member.client
        .put('/users/me/profile')
        .send({ biological_sex: 'male', date_of_birth: '1990-05-15', fitness_level: 'intermediate' })
        .expect(200);
      expect(res.body.profile.tier_code).toBe('M-30-39-INT');
    });

    it('opting into OPEN moves the user, with their period points, to the OPEN boards', async () => {
      const member = await createMember(t, { sex: 'female', dateOfBirth: '2000-03-01', fitness: 'beginner' });
      expect(await tierOf(member)).toBe('F-18-29-BEG');
      await earn(t, member.user, 321, '2026-01-16');
      expect((await board(member, 'weekly')).my_position).toEqual({ rank: expect.any(Number), points: 321 });
      await member.client.put('/users/me/profile').send({ open_tier_opt_in: true }).expect(200);
      expect(await tierOf(member)).toBe('OPEN');
      const open = await board(member, 'weekly');
      expect(open.tier_code).toBe('OPEN');
      expect(open.my_position).toEqual({ rank: expect.any(Number), points: 321 });
      const old = await board(member, 'weekly', { tier: 'F-18-29-BEG' });
      expect(old.rankings.map((r: { user_id: string }) => r.user_id)).not.toContain(member.user.id);
      expect(old.my_position).toBeNull();
    });

    it('a fitness level change moves the user to the new board (F-30-39-BEG → F-30-39-INT)', async () => {
      const member = await createMember(t, { sex: 'female', dateOfBirth: '1991-02-02', fitness: 'beginner' });
      await earn(t, member.user, 50, '2026-01-16');
      await member.client.put('/users/me/profile').send({ fitness_level: 'intermediate' }).expect(200);
      expect(await tierOf(member)).toBe('F-30-39-INT');
      const daily = await board(member, 'daily');
      expect(daily.tier_code).toBe('F-30-39-INT');
      expect(daily.my_position.points).toBe(50);
      expect((await board(member, 'daily', { tier: 'F-30-39-BEG' })).my_position).toBeNull();
    });

    it('the daily birthday job moves a user who turned 30 to the next bracket, period points included', async () => {
      // Born 1996-01-15: 29 until 2026-01-15, when they turn 30. Their tier was computed the day before.
      t.clock.set('2026-01-14T17:00:00Z');
      const member = await createMember(t, { sex: 'male', dateOfBirth: '1996-01-15', fitness: 'advanced' });
      expect(await tierOf(member)).toBe('M-18-29-ADV');
      await earn(t, member.user, 75, '2026-01-14');
      t.clock.set('2026-01-16T05:05:00Z'); // 00:05 on 16 January in New York: the tick
      await t.app.get(SchedulerTicks).birthdayTiers();
      await t.drainJobs();
      expect(await tierOf(member)).toBe('M-30-39-ADV');
      const weekly = await board(member, 'weekly');
      expect(weekly.tier_code).toBe('M-30-39-ADV');
      expect(weekly.my_position.points).toBe(75);
      // Idempotent: the same day's job again changes nothing.
      await t.app.get(QueuePort).enqueue(JobName.RecalculateBirthdayTiers, { date: '2026-01-16' });
      await t.drainJobs();
      expect(await tierOf(member)).toBe('M-30-39-ADV');
      expect((await board(member, 'weekly', { tier: 'M-18-29-ADV' })).my_position).toBeNull();
      t.clock.set('2026-01-16T20:00:00Z');
    });

    it('any profile edit after a birthday recalculates the tier (M-18-29-INT → M-30-39-INT)', async () => {
      t.clock.set('2026-01-14T17:00:00Z');
      const member = await createMember(t, {
        sex: 'male',
        dateOfBirth: '1996-01-15',
        fitness: 'intermediate',
      });
      expect(await tierOf(member)).toBe('M-18-29-INT');
      await earn(t, member.user, 60, '2026-01-14');
      t.clock.set('2026-01-16T20:00:00Z'); // turned 30 yesterday; the job has not run
      const res = await member.client
        .put('/users/me/profile')
        .send({ timezone: 'America/Chicago' })
        .expect(200);
      expect(res.body.profile.tier_code).toBe('M-30-39-INT');
      const weekly = await board(member, 'weekly');
      expect(weekly.tier_code).toBe('M-30-39-INT');
      expect(weekly.my_position.points).toBe(60);
      expect((await board(member, 'weekly', { tier: 'M-18-29-INT' })).my_position).toBeNull();
    });
  });

  describe('boards', () => {
    it("daily: today's points only, ordered A, B, C", async () => {
      const [a, b, c] = await Promise.all(
        ['A', 'B', 'C'].map((name) =>
          createMember(t, { name, dateOfBirth: '1985-01-01', fitness: 'advanced' }),
        ),
      );
      await earn(t, c.user, 600, '2026-01-16');
      await earn(t, a.user, 800, '2026-01-16');
      await earn(t, b.user, 750, '2026-01-16');
      await earn(t, c.user, 900, '2026-01-15'); // yesterday: not on today's board
      const daily = await board(a, 'daily');
      expect(daily.tier_code).toBe('M-40-49-ADV');
      expect(
        daily.rankings.map((r: { rank: number; display_name: string; points: number }) => [
          r.rank,
          r.display_name,
          r.points,
        ]),
      ).toEqual([
        [1, 'A', 800],
        [2, 'B', 750],
        [3, 'C', 600],
      ]);
      expect(daily.total_users).toBe(3);
      expect(daily.period_start).toBe('2026-01-16T05:00:00.000Z');
      expect(daily.next_reset_at).toBe('2026-01-17T05:00:00.000Z');
    });

    it('weekly: since Monday 00:00, resetting next Monday 00:00; all-time never lowered by spending', async () => {
      const [a, b] = await Promise.all(
        ['A', 'B'].map((name) => createMember(t, { name, sex: 'female', dateOfBirth: '2001-01-01' })),
      );
      await earn(t, a.user, 1500, '2026-01-12'); // Monday
      await earn(t, a.user, 3000, '2026-01-14');
      await earn(t, b.user, 4200, '2026-01-16');
      await earn(t, b.user, 999, '2026-01-11'); // the Sunday before: last week
      const weekly = await board(a, 'weekly');
      expect(weekly.tier_code).toBe('F-18-29-INT');
      expect(
        weekly.rankings.map((r: { display_name: string; points: number }) => [r.display_name, r.points]),
      ).toEqual([
        ['A', 4500],
        ['B', 4200],
      ]);
      expect(weekly.period_start).toBe('2026-01-12T05:00:00.000Z');
      expect(weekly.next_reset_at).toBe('2026-01-19T05:00:00.000Z');
      await spend(t, b.user, 5000);
      const alltime = await board(a, 'alltime');
      expect(
        alltime.rankings.map((r: { display_name: string; points: number }) => [r.display_name, r.points]),
      ).toEqual([
        ['B', 5199],
        ['A', 4500],
      ]);
      expect(alltime.next_reset_at).toBeNull();
    });

    it('an activity correction (adjust) lowers the board; 0 points are not ranked', async () => {
      const member = await createMember(t, { sex: 'female', dateOfBirth: '1960-06-06', fitness: 'advanced' });
      await earn(t, member.user, 40, '2026-01-16');
      await earn(t, member.user, -15, '2026-01-16');
      expect((await board(member, 'daily')).my_position).toEqual({ rank: 1, points: 25 });
      await earn(t, member.user, -25, '2026-01-16');
      const daily = await board(member, 'daily');
      expect(daily.my_position).toBeNull();
      expect(daily.total_users).toBe(0);
      expect(daily.around_me).toEqual([]);
    });

    it('a board holds its tier only; any tier can be browsed without taking part', async () => {
      const mine = await createMember(t, { sex: 'female', dateOfBirth: '1975-01-01', fitness: 'beginner' });
      const other = await createMember(t, { sex: 'male', dateOfBirth: '1975-01-01', fitness: 'beginner' });
      await earn(t, mine.user, 10, '2026-01-16');
      await earn(t, other.user, 20, '2026-01-16');
      const own = await board(mine, 'weekly');
      expect(own.tier_code).toBe('F-50-59-BEG');
      expect(own.rankings.map((r: { user_id: string }) => r.user_id)).toEqual([mine.user.id]);
      const browsed = await board(mine, 'weekly', { tier: 'M-50-59-BEG' });
      expect(browsed.tier_code).toBe('M-50-59-BEG');
      expect(
        browsed.rankings.map((r: { user_id: string; tier_code: string }) => [r.user_id, r.tier_code]),
      ).toEqual([[other.user.id, 'M-50-59-BEG']]);
      expect(browsed.my_position).toBeNull();
      expect(browsed.around_me).toEqual([]);
    });

    it('a soft-deleted user leaves every board (ranks, total_users, around_me), even when earning later', async () => {
      const [a, b, c] = await Promise.all(
        ['Del A', 'Del B', 'Del C'].map((name) => createMember(t, { name, dateOfBirth: '1970-01-01' })),
      );
      await earn(t, a.user, 300, '2026-01-16');
      await earn(t, b.user, 200, '2026-01-16');
      await earn(t, c.user, 100, '2026-01-16');
      const before = await board(c, 'weekly');
      expect(before.tier_code).toBe('M-50-59-INT');
      expect(names(before.rankings)).toEqual(['Del A', 'Del B', 'Del C']);
      await (await asAdmin(t)).delete(`/users/${b.user.id}`).expect(204);
      // Cached boards included: the delete invalidates them.
      for (const period of ['daily', 'weekly', 'monthly', 'alltime']) {
        const after = await board(c, period);
        expect(names(after.rankings)).toEqual(['Del A', 'Del C']);
        expect(after.rankings.map((r: { rank: number }) => r.rank)).toEqual([1, 2]);
        expect(after.total_users).toBe(2);
        expect(after.my_position).toEqual({ rank: 2, points: 100 });
        expect(names(after.around_me)).toEqual(['Del A', 'Del C']);
      }
      expect((await c.client.get(`/users/${c.user.id}/public`).expect(200)).body.alltime_rank).toBe(2);
      // A late award to the deleted account (a sync that was under way) does not bring it back, not even
      // on a board it had no row on yet (the next day's).
      t.clock.set('2026-01-17T20:00:00Z');
      await earn(t, c.user, 10, '2026-01-17');
      await earn(t, b.user, 500, '2026-01-17');
      await earn(t, b.user, 500, '2026-01-16');
      for (const period of ['daily', 'weekly']) {
        const after = await board(a, period);
        expect(names(after.rankings)).toEqual(period === 'daily' ? ['Del C'] : ['Del A', 'Del C']);
        expect(after.total_users).toBe(period === 'daily' ? 1 : 2);
      }
      t.clock.set('2026-01-16T20:00:00Z');
    });

    it('OPEN ranks everyone who opted in, whatever their demographics', async () => {
      const a = await createMember(t, {
        name: 'Open A',
        open: true,
        sex: 'male',
        dateOfBirth: '2000-01-01',
        fitness: 'advanced',
      });
      const b = await createMember(t, {
        name: 'Open B',
        open: true,
        sex: 'female',
        dateOfBirth: '1970-01-01',
      });
      const c = await createMember(t, {
        name: 'Open C',
        open: true,
        sex: 'male',
        dateOfBirth: '1980-01-01',
        fitness: 'beginner',
      });
      t.clock.set('2026-02-03T15:00:00Z'); // a week of its own
      await earn(t, c.user, 7000, '2026-02-03');
      await earn(t, a.user, 8000, '2026-02-03');
      await earn(t, b.user, 7500, '2026-02-03');
      const open = await board(b, 'weekly', { tier: 'OPEN' });
      expect(names(open.rankings)).toEqual(['Open A', 'Open B', 'Open C']);
      t.clock.set('2026-01-16T20:00:00Z');
    });

    it('my position: rank, points, total, the top page and ±10 around me', async () => {
      t.clock.set('2026-03-18T15:00:00Z'); // a week and tier of its own
      const members: Member[] = [];
      for (let i = 0; i < 60; i++) {
        members.push(
          await createMember(t, {
            name: `P${i + 1}`,
            sex: 'male',
            dateOfBirth: '1950-01-01',
            fitness: 'beginner',
          }),
        );
      }
      // P1 has the most points, P60 the fewest.
      for (const [i, member] of members.entries()) await earn(t, member.user, 2000 - i * 10, '2026-03-18');
      const me = members[44]; // rank 45
      const res = await board(me, 'weekly', { per_page: 20 });
      expect(res.tier_code).toBe('M-60+-BEG');
      expect(res.my_position).toEqual({ rank: 45, points: 1560 });
      expect(res.total_users).toBe(60);
      expect(res.meta).toEqual({ page: 1, per_page: 20, total: 60, total_pages: 3 });
      expect(res.rankings.map((r: { rank: number }) => r.rank)).toEqual(
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
      // By default a page is the top 100.
      const top = await board(me, 'weekly');
      expect(top.meta.per_page).toBe(100);
      expect(top.rankings.map((r: { rank: number }) => r.rank)).toEqual(
        Array.from({ length: 60 }, (_, i) => i + 1),
      );
      expect(res.around_me.map((r: { rank: number }) => r.rank)).toEqual(
        Array.from({ length: 21 }, (_, i) => 35 + i),
      );
      expect(names(res.around_me)[10]).toBe('P45');
      const page3 = await board(me, 'weekly', { per_page: 20, page: 3 });
      expect(page3.rankings.map((r: { rank: number }) => r.rank)).toEqual(
        Array.from({ length: 20 }, (_, i) => 41 + i),
      );
      // Near the top, around_me starts at rank 1.
      expect((await board(members[2], 'weekly')).around_me).toHaveLength(13);
      // Past the last page: empty rankings, true meta.
      expect((await board(me, 'weekly', { per_page: 100, page: 2 })).rankings).toEqual([]);
      t.clock.set('2026-01-16T20:00:00Z');
    });

    it('ties: who reached the total first ranks higher, then the user id', async () => {
      t.clock.freeze('2026-04-07T14:00:00Z');
      const [a, b] = [
        await createMember(t, {
          name: 'Tie A',
          sex: 'female',
          dateOfBirth: '1955-01-01',
          fitness: 'beginner',
        }),
        await createMember(t, {
          name: 'Tie B',
          sex: 'female',
          dateOfBirth: '1955-01-01',
          fitness: 'beginner',
        }),
      ];
      t.clock.set('2026-04-07T15:00:00Z'); // B reaches 1000 first... then A at 16:00, still frozen
      await earn(t, b.user, 1000, '2026-04-07');
      t.clock.set('2026-04-07T16:00:00Z');
      await earn(t, a.user, 1000, '2026-04-07');
      expect(names((await board(a, 'daily')).rankings)).toEqual(['Tie B', 'Tie A']);
      // Same total at the same instant: the smaller user id first.
      const c = await createMember(t, {
        name: 'Tie C',
        sex: 'female',
        dateOfBirth: '1955-01-01',
        fitness: 'beginner',
      });
      const d = await createMember(t, {
        name: 'Tie D',
        sex: 'female',
        dateOfBirth: '1955-01-01',
        fitness: 'beginner',
      });
      t.clock.set('2026-04-07T17:00:00Z');
      await earn(t, c.user, 500, '2026-04-07');
      await earn(t, d.user, 500, '2026-04-07');
      const tied = (await board(a, 'daily')).rankings.slice(2).map((r: { user_id: string }) => r.user_id);
      expect(tied).toEqual([c.user.id, d.user.id].sort());
      const [first, second] = tied;
      const cd = [c, d];
      expect(
        (
          await board(
            cd.find((m) => m.user.id === second)!,
            'daily',
          )
        ).my_position.rank,
      ).toBe(4);
      expect(
        (
          await board(
            cd.find((m) => m.user.id === first)!,
            'daily',
          )
        ).my_position.rank,
      ).toBe(3);
      t.clock.set('2026-01-16T20:00:00Z');
    });

    it('around_me among 25 users tied on points and instant: the neighbours by user id', async () => {
      t.clock.freeze('2026-05-13T14:00:00Z'); // a week and tier of its own
      const tied: Member[] = [];
      for (let i = 0; i < 25; i++) {
        tied.push(
          await createMember(t, { sex: 'female', dateOfBirth: '1980-01-01', fitness: 'intermediate' }),
        );
      }
      for (const member of tied) await earn(t, member.user, 100, '2026-05-13');
      const ids = tied.map((m) => m.user.id).sort();
      const me = tied.find((m) => m.user.id === ids[12])!;
      const res = await board(me, 'weekly');
      expect(res.tier_code).toBe('F-40-49-INT');
      expect(res.my_position).toEqual({ rank: 13, points: 100 });
      expect(res.around_me.map((r: { rank: number; user_id: string }) => [r.rank, r.user_id])).toEqual(
        ids.slice(2, 23).map((id, i) => [i + 3, id]),
      );
      t.clock.set('2026-01-16T20:00:00Z');
    });
  });

  describe('cache', () => {
    it('no stale board: a read after an award shows it, though the board was cached', async () => {
      const member = await createMember(t, { sex: 'male', dateOfBirth: '1995-01-01', fitness: 'beginner' });
      await earn(t, member.user, 100, '2026-01-16');
      expect((await board(member, 'weekly')).my_position.points).toBe(100);
      expect((await board(member, 'weekly')).my_position.points).toBe(100); // served from the cache
      await earn(t, member.user, 23, '2026-01-16');
      expect((await board(member, 'weekly')).my_position.points).toBe(123);
    });

    it('serves cached boards until they expire (LEADERBOARD_CACHE_TTL_S), then reads the database', async () => {
      const member = await createMember(t, { sex: 'male', dateOfBirth: '1995-01-01', fitness: 'advanced' });
      await earn(t, member.user, 10, '2026-01-16');
      expect((await board(member, 'monthly')).my_position.points).toBe(10);
      // A change the cache is not told about (written behind the service's back).
      await t.app.get(LeaderboardsRepository).addEarnings([
        {
          userId: member.user.id,
          periodKey: 'monthly:2026-01',
          tierCode: 'M-18-29-ADV',
          points: 5,
          reachedAt: t.clock.now(),
        },
      ]);
      expect((await board(member, 'monthly')).my_position.points).toBe(10);
      const now = Date.now();
      const clock = jest.spyOn(Date, 'now').mockReturnValue(now + 301_000); // the cache's own clock
      try {
        expect((await board(member, 'monthly')).my_position.points).toBe(15);
      } finally {
        clock.mockRestore();
      }
    });
  });

  describe('the API', () => {
    it('GET /leaderboards lists each period with its start, end and next reset', async () => {
      const member = await createMember(t);
      const res = await member.client.get('/leaderboards').expect(200);
      expect(res.body).toEqual([
        {
          period: 'daily',
          period_start: '2026-01-16T05:00:00.000Z',
          period_end: '2026-01-17T05:00:00.000Z',
          next_reset_at: '2026-01-17T05:00:00.000Z',
        },
        {
          period: 'weekly',
          period_start: '2026-01-12T05:00:00.000Z',
          period_end: '2026-01-19T05:00:00.000Z',
          next_reset_at: '2026-01-19T05:00:00.000Z',
        },
        {
          period: 'monthly',
          period_start: '2026-01-01T05:00:00.000Z',
          period_end: '2026-02-01T05:00:00.000Z',
          next_reset_at: '2026-02-01T05:00:00.000Z',
        },
        { period: 'alltime', period_start: null, period_end: null, next_reset_at: null },
      ]);
    });

    it('422 for an unknown period or tier, and for a caller without a tier who names none', async () => {
      const member = await createMember(t, { fitness: null });
      const period = await member.client.get('/leaderboards/yearly').expect(422);
      expect(period.body.detail).toMatch(/period must be one of: daily, weekly, monthly, alltime/);
      const tier = await member.client.get('/leaderboards/weekly').query({ tier: 'X-1' }).expect(422);
      expect(tier.body.detail).toMatch(/tier must be one of the 30 tier codes or OPEN/);
      const none = await member.client.get('/leaderboards/weekly').expect(422);
      expect(none.body.detail).toBe('Complete your profile to join a tier');
      await member.client.get('/leaderboards/weekly').query({ tier: 'OPEN' }).expect(200);
      await t.http().get('/api/v1/leaderboards/weekly').expect(401);
    });

    it('60 requests a minute per user, then 429 with Retry-After', async () => {
      const member = await createMember(t);
      const other = await createMember(t);
      for (let i = 0; i < 60; i++) await member.client.get('/leaderboards').expect(200);
      const limited = await member.client.get('/leaderboards/weekly').expect(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(limited.headers['content-type']).toMatch(/application\/problem\+json/);
      await other.client.get('/leaderboards').expect(200); // per user, not per IP
    });

    it('the public profile shows the all-time rank in the tier, and nothing private', async () => {
      const a = await createMember(t, {
        name: 'Pub A',
        sex: 'female',
        dateOfBirth: '1944-01-01',
        fitness: 'intermediate',
      });
      const b = await createMember(t, {
        name: 'Pub B',
        sex: 'female',
        dateOfBirth: '1944-01-01',
        fitness: 'intermediate',
      });
      await earn(t, a.user, 10, '2026-01-16');
      await earn(t, b.user, 20, '2026-01-16');
      const res = await b.client.get(`/users/${a.user.id}/public`).expect(200);
      expect(res.body).toEqual({
        user_id: a.user.id,
        display_name: 'Pub A',
        tier_code: 'F-60+-INT',
        total_points_earned: 10,
        member_since: expect.any(String),
        alltime_rank: 2,
      });
      const fresh = await createMember(t);
      expect((await b.client.get(`/users/${fresh.user.id}/public`).expect(200)).body.alltime_rank).toBeNull();
    });
  });
});
