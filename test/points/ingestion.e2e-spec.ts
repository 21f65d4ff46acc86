import { addDays, startOfDayIn, UnitOfWork } from '@fittrack/core';
import { DAILY_CAP_NOTE, LedgerService } from '@fittrack/points';
import type { User } from '@fittrack/users';
import { asAdmin, type ApiClient, asUser } from '../support/api-client';
import { createTestApp, type TestApp } from '../support/test-app';
import {
  activitiesOf,
  activityOf,
  balanceOf,
  daily,
  dayTotal,
  engineUser,
  expectLedgerInvariant,
  ingest,
  ledgerOf,
  workout,
} from './engine';

/** Ingestion pays by the points rules (domain-rules.md, Points), through the ledger, on SQLite and PostgreSQL. */
describe('points engine: ingestion', () => {
  let t: TestApp;
  let admin: ApiClient;
  const users: User[] = [];
  const user = async (options: Parameters<typeof engineUser>[1] = {}) => {
    const created = await engineUser(t, options);
    users.push(created);
    return created;
  };

  beforeAll(async () => {
    // Noon on Sunday 2026-11-22 in New York.
    t = await createTestApp({ now: '2026-11-22T17:00:00Z' });
    t.clock.freeze();
    admin = await asAdmin(t);
  });
  afterAll(async () => {
    // The ledger invariant holds for every user this file touched.
    for (const each of users) await expectLedgerInvariant(t, each);
    await t.close();
  });

  describe('checkpoint 3 calculation scenarios', () => {
    it.each([
      ['M-18-29-BEG', 108],
      ['F-30-39-INT', 90],
      ['M-40-49-ADV', 81],
      ['OPEN', 90],
      [null, 90],
    ])('30 vigorous active minutes at tier %s pay %i', async (tier, points) => {
      const u = await user({ tier });
      const result = await ingest(t, [daily(u, '2026-11-20', { minutes: { vigorous: 30 } })]);
      expect(result).toMatchObject({ stored: 1, paid: points });
      expect(await balanceOf(t, u)).toBe(points);
      const [entry] = await ledgerOf(t, u);
      expect(entry).toMatchObject({
        transactionType: 'earn',
        amount: points,
        referenceType: 'activity',
        earnedOn: '2026-11-20',
        description: 'Active minutes on 2026-11-20',
      });
    });

    it('10,000 steps at INT pay 100; a 30-minute workout gets the 50 bonus unmultiplied', async () => {
      const u = await user({ tier: 'M-18-29-BEG' });
      await ingest(t, [
        daily(u, '2026-11-20', { steps: 10_000 }),
        workout(u, '2026-11-20T14:00:00Z', 30, { intensity: 'moderate' }),
      ]);
      const [steps, session] = await activitiesOf(t, u);
      expect(steps.pointsEarned).toBe(120);
      // floor(2 × 30 × 1.2) + 50
      expect(session.pointsEarned).toBe(122);
    });

    it('crossing the cap: 980 + 50 → 20 awarded, noted "Daily cap reached"', async () => {
      const u = await user();
      // 9,800 steps are 98 points ... use minutes: 326 vigorous = 978, plus 2 light = 980.
      await ingest(t, [daily(u, '2026-11-19', { minutes: { vigorous: 326, light: 2 } })]);
      expect(await balanceOf(t, u)).toBe(980);
      // A 20-minute light workout later that day: 20 + 50 bonus = 70 … but its 20 light minutes are
      // already in the day's total, so the total pays 2 less: the day is 978 + 70, capped at 1,000.
      await ingest(t, [workout(u, '2026-11-19T20:00:00Z', 20, { intensity: 'light' })]);
      const entries = await ledgerOf(t, u);
      expect(await dayTotal(t, u, '2026-11-19')).toBe(1000);
      expect(await balanceOf(t, u)).toBe(1000);
      const capped = entries.find((e) => e.description.includes(DAILY_CAP_NOTE));
      expect(capped).toBeDefined();
      expect(capped!.amount).toBe(22);
      // The activity detail shows how the rules priced each record within the day.
      const [totals, session] = await Promise.all(
        ['active_minutes', 'workout'].map(async (type) => {
          const id = (await activitiesOf(t, u)).find((a) => a.activityType === type)!.id;
          return (await admin.get(`/activities/${id}`).expect(200)).body.points_breakdown;
        }),
      );
      // The workout's 20 light minutes leave the day's total: 326 vigorous × 3 = 978 remain.
      expect(totals).toEqual({
        base: 978,
        multiplier: 1,
        multiplied: 978,
        bonus: 0,
        capped: false,
        points: 978,
        no_pay_reason: null,
        paid_minutes: { light: 0, moderate: 0, vigorous: 326 },
      });
      expect(session).toEqual({
        base: 20,
        multiplier: 1,
        multiplied: 20,
        bonus: 50,
        capped: true,
        points: 22,
        no_pay_reason: null,
        paid_minutes: null,
      });
    });

    it('950 + 100 → 50 and the records after the crossing get 0', async () => {
      const u = await user();
      await ingest(t, [daily(u, '2026-11-18', { steps: 95_000 / 1 })]);
      // 95,000 steps are above the plausibility limit: held, pays 0.
      expect(await balanceOf(t, u)).toBe(0);
      const v = await user();
      await ingest(t, [
        workout(v, '2026-11-18T12:00:00Z', 300, { intensity: 'light' }), // 300 + 50
        workout(v, '2026-11-18T18:00:00Z', 200, { intensity: 'moderate' }), // 400 + 50 → 800 total
        workout(v, '2026-11-18T19:00:00Z', 50, { intensity: 'light' }), // 50 + 50 → 900
        workout(v, '2026-11-18T20:00:00Z', 10, { intensity: 'vigorous' }), // 30 → 930
        workout(v, '2026-11-18T20:30:00Z', 10, { intensity: 'light' }), // 10 → 940
        workout(v, '2026-11-18T20:45:00Z', 10, { intensity: 'light' }), // 10 → 950
        workout(v, '2026-11-18T21:00:00Z', 50, { intensity: 'moderate' }), // 100 (4th bonus none) → 50
        workout(v, '2026-11-18T22:00:00Z', 10, { intensity: 'light' }), // → 0
      ]);
      const points = (await activitiesOf(t, v)).map((a) => a.pointsEarned);
      expect(points).toEqual([350, 450, 100, 30, 10, 10, 50, 0]);
      expect(await balanceOf(t, v)).toBe(1000);
    });
  });

  it('a revision pays the difference; a downward one is an adjust; a replay changes nothing', async () => {
    const u = await user();
    await ingest(t, [daily(u, '2026-11-21', { steps: 3000 })]);
    expect(await balanceOf(t, u)).toBe(30);
    await ingest(t, [daily(u, '2026-11-21', { steps: 8000 })]);
    expect(await balanceOf(t, u)).toBe(80);
    const replay = await ingest(t, [daily(u, '2026-11-21', { steps: 8000 })]);
    expect(replay).toEqual({ stored: 0, updated: 0, unchanged: 1, flagged: 0, paid: 0 });
    await ingest(t, [daily(u, '2026-11-21', { steps: 6000 })]);
    const entries = await ledgerOf(t, u);
    expect(entries.map((e) => [e.transactionType, e.amount])).toEqual([
      ['earn', 30],
      ['earn', 50],
      ['adjust', -20],
    ]);
    expect(new Set(entries.map((e) => e.idempotencyKey)).size).toBe(3);
    // Withdrawn (Terra upload_type 4): as if it never happened.
    await ingest(t, [daily(u, '2026-11-21', { steps: 6000 }, { uploadType: 'delete' })]);
    expect(await balanceOf(t, u)).toBe(0);
    expect((await activitiesOf(t, u))[0]).toMatchObject({ isWithdrawn: true, pointsEarned: 0 });
  });

  it('inside a caller’s unit of work users are paid one after the other (its one connection takes one query at a time)', async () => {
    const batch = [await user(), await user(), await user()];
    const records = batch.map((u) => daily(u, '2026-11-20', { steps: 4000 }));
    // Seeding ingests inside its unit of work; the users' postings used to overlap on its connection.
    const ledger = t.app.get(LedgerService);
    const postMany = ledger.postMany.bind(ledger);
    let running = 0;
    let overlapped = 0;
    const spy = jest.spyOn(ledger, 'postMany').mockImplementation(async (...args) => {
      if (++running > 1) overlapped += 1;
      try {
        return await postMany(...args);
      } finally {
        running -= 1;
      }
    });
    try {
      const result = await t.app.get(UnitOfWork).run(() => ingest(t, records));
      expect(result.stored).toBe(3);
      expect(spy).toHaveBeenCalledTimes(3);
    } finally {
      spy.mockRestore();
    }
    expect(overlapped).toBe(0);
    const balances = await Promise.all(batch.map((u) => balanceOf(t, u)));
    expect(new Set(balances).size).toBe(1);
    expect(balances[0]).toBeGreaterThan(0);
  });

  it('manual entries are stored and earn 0', async () => {
    const u = await user();
    const result = await ingest(t, [workout(u, '2026-11-21T15:00:00Z', 45, { uploadType: 'manual' })]);
    expect(result).toMatchObject({ stored: 1, paid: 0 });
    expect((await activitiesOf(t, u))[0]).toMatchObject({ uploadSource: 'manual', pointsEarned: 0 });
    expect(await ledgerOf(t, u)).toEqual([]);
  });

  it('implausible data is held; approval pays it under its day’s cap, rejection is final; 409 after', async () => {
    const u = await user();
    await ingest(t, [daily(u, '2026-11-21', { minutes: { moderate: 480 } })]); // 960
    // 5,000 steps in 20 minutes (250 a minute): held.
    const held = await ingest(t, [
      workout(u, '2026-11-21T15:00:00Z', 20, { intensity: 'light', steps: 5000 }),
    ]);
    expect(held).toMatchObject({ stored: 1, flagged: 1, paid: 0 });
    expect(await balanceOf(t, u)).toBe(960);
    const list = await admin.get('/admin/activity-flags?filter[status]=open&per_page=100').expect(200);
    const flag = list.body.data.find((f: { user_id: string }) => f.user_id === u.id);
    expect(flag).toMatchObject({ status: 'open', activity: { activity_type: 'workout', points_earned: 0 } });
    expect(flag.reasons[0].detail).toContain('250 steps a minute over 20 minutes');
    await asUser(t, u).post(`/admin/activity-flags/${flag.id}/approve`).expect(403);

    const approved = await admin.post(`/admin/activity-flags/${flag.id}/approve`).expect(200);
    expect(approved.body).toMatchObject({ status: 'approved', decided_at: expect.any(String) });
    // 20 + 50 bonus, of which the cap leaves 40.
    expect(await balanceOf(t, u)).toBe(1000);
    expect((await activityOf(t, flag.activity_id)).pointsEarned).toBe(40);
    const again = await admin.post(`/admin/activity-flags/${flag.id}/reject`).expect(409);
    expect(again.body.detail).toBe('Flag already approved');

    const v = await user();
    await ingest(t, [workout(v, '2026-11-21T15:00:00Z', 60, { cheatDetection: 1 })]);
    const open = await admin.get('/admin/activity-flags?filter[status]=open&per_page=100').expect(200);
    const other = open.body.data.find((f: { user_id: string }) => f.user_id === v.id);
    await admin.post(`/admin/activity-flags/${other.id}/reject`).expect(200);
    await admin.post(`/admin/activity-flags/${other.id}/approve`).expect(409);
    expect(await balanceOf(t, v)).toBe(0);
    const rejected = await admin
      .get('/admin/activity-flags?filter[status]=rejected&per_page=100')
      .expect(200);
    expect(rejected.body.data.map((f: { id: string }) => f.id)).toContain(other.id);
    await admin.get('/admin/activity-flags?filter[status]=maybe').expect(422);
  });

  it('a second tracker’s overlapping record is a duplicate and pays 0; a late primary reverses the award', async () => {
    const u = await user({ providers: ['fitbit', 'google_fit'] });
    // The non-primary first: paid, then reversed when the primary's overlapping workout arrives.
    await ingest(t, [workout(u, '2026-11-21T15:00:00Z', 30, { provider: 'google_fit' })]);
    expect(await balanceOf(t, u)).toBe(140);
    await ingest(t, [workout(u, '2026-11-21T15:05:00Z', 30)]);
    expect(await balanceOf(t, u)).toBe(140);
    const [secondary, primary] = await activitiesOf(t, u);
    expect(secondary).toMatchObject({ provider: 'google_fit', isDuplicate: true, pointsEarned: 0 });
    expect(primary).toMatchObject({ provider: 'fitbit', isDuplicate: false, pointsEarned: 140 });
    expect((await ledgerOf(t, u)).map((e) => [e.transactionType, e.amount])).toEqual([
      ['earn', 140],
      ['earn', 140],
      ['adjust', -140],
    ]);
    // The non-primary after the primary: stored as a duplicate, never paid.
    await ingest(t, [workout(u, '2026-11-21T15:10:00Z', 20, { provider: 'google_fit' })]);
    expect(await balanceOf(t, u)).toBe(140);
  });

  it('a closed day (past the revision window) and days before the connection pay nothing', async () => {
    const u = await user({ connectedAt: new Date('2026-11-20T17:00:00Z') });
    const result = await ingest(t, [
      daily(u, '2026-11-14', { steps: 5000 }), // closed since 2026-11-22
      daily(u, '2026-11-19', { steps: 5000 }), // before the tracker was connected
      daily(u, '2026-11-20', { steps: 5000 }), // the connection day earns
    ]);
    expect(result).toMatchObject({ stored: 3, paid: 50 });
    expect((await activitiesOf(t, u)).map((a) => [a.day, a.pointsEarned])).toEqual([
      ['2026-11-14', 0],
      ['2026-11-19', 0],
      ['2026-11-20', 50],
    ]);
  });

  it('workout days follow the record’s own UTC offset, else the profile zone', async () => {
    const u = await user({ profile: { timezone: 'America/Los_Angeles' } });
    await ingest(t, [
      // 02:00 UTC on the 21st is the 20th in Los Angeles (profile zone).
      workout(u, '2026-11-21T02:00:00Z', 10),
      // …and the 21st at the record's own +01:00.
      workout(u, '2026-11-21T02:30:00Z', 10, { utcOffsetMinutes: 60 }),
    ]);
    expect((await activitiesOf(t, u)).map((a) => a.day)).toEqual(['2026-11-20', '2026-11-21']);
  });

  it.each([
    ['2026-03-08', 23, '2026-03-09T12:00:00Z'],
    ['2026-11-01', 25, '2026-11-02T12:00:00Z'],
  ])('DST day %s in New York (%i hours) pays exactly once', async (day, hours, now) => {
    t.clock.set(now);
    try {
      const u = await user({ connectedAt: new Date('2026-01-01T12:00:00Z') });
      // Workouts at local 00:30 and 23:30 (no offset given: the profile zone decides).
      const startOfDay = startOfDayIn(day, 'America/New_York');
      expect(startOfDayIn(addDays(day, 1), 'America/New_York').getTime() - startOfDay.getTime()).toBe(
        hours * 3_600_000,
      );
      const first = workout(u, new Date(startOfDay.getTime() + 30 * 60_000).toISOString(), 10);
      const last = workout(u, new Date(startOfDay.getTime() + (hours - 0.5) * 3_600_000).toISOString(), 10);
      const total = daily(u, day, { steps: 10_000 });
      await ingest(t, [first, last, total]);
      await ingest(t, [total, last, first]);
      expect((await activitiesOf(t, u)).map((a) => a.day)).toEqual([day, day, day]);
      expect(await balanceOf(t, u)).toBe(30 + 30 + 100);
      expect(await ledgerOf(t, u)).toHaveLength(3);
    } finally {
      t.clock.set('2026-11-22T17:00:00Z');
    }
  });

  it('GET /activities/summary: today, this week with the streak, this month, by record day', async () => {
    const u = await user();
    await ingest(t, [
      daily(u, '2026-11-22', { steps: 8000 }), // today (Sunday): 80
      daily(u, '2026-11-22', { minutes: { moderate: 15 } }), // 30
      workout(u, '2026-11-22T15:00:00Z', 20), // 60 + 50
      daily(u, '2026-11-21', { steps: 2000 }), // 20
      daily(u, '2026-11-20', { steps: 1000 }), // 10
      daily(u, '2026-11-16', { steps: 1000 }), // Monday: 10, streak broken on the 17th..19th
      daily(u, '2026-11-02', { steps: 500 }), // closed day: stored, 0 points
    ]);
    const res = await asUser(t, u).get('/activities/summary').expect(200);
    expect(res.body).toEqual({
      today: { steps: 8000, active_minutes: 15, workouts: 1, points_earned: 220, points_remaining: 780 },
      this_week: {
        steps: 12_000,
        active_minutes: 15,
        workouts: 1,
        points_earned: 260,
        points_remaining: 780,
        streak_days: 3,
      },
      this_month: {
        steps: 12_500,
        active_minutes: 15,
        workouts: 1,
        points_earned: 260,
        // Today and the 8 days left of November.
        points_remaining: 780 + 8 * 1000,
      },
    });
    // Fixed paths are not taken for an id.
    await asUser(t, u).get('/activities/not-a-uuid').expect(422);
    await t.http().get('/api/v1/activities/summary').expect(401);
  });
});
