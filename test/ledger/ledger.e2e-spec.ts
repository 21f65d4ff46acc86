import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { UnitOfWork } from '@fittrack/core';
import {
  LedgerService,
  PointTransactionsRepository,
  PointsChangedHooks,
  type PostEntry,
} from '@fittrack/points';
import { Profile, type User, UsersRepository } from '@fittrack/users';
import { asAdmin, type ApiClient, createUserWithToken } from '../support/api-client';
import { createTestApp, type TestApp } from '../support/test-app';

/** The ledger (domain-rules, Ledger): one writer, per-user sequence, balance_after chain, idempotency. */
describe('points ledger', () => {
  let t: TestApp;
  let ledger: LedgerService;
  let entries: PointTransactionsRepository;
  let users: UsersRepository;
  let admin: ApiClient;

  beforeAll(async () => {
    t = await createTestApp({ now: '2026-11-20T15:00:00Z' });
    ledger = t.app.get(LedgerService);
    entries = t.app.get(PointTransactionsRepository);
    users = t.app.get(UsersRepository);
    admin = await asAdmin(t);
  });
  afterAll(() => t.close());

  const earn = (user: User, amount: number, extra: Partial<PostEntry> = {}): PostEntry => ({
    userId: user.id,
    type: 'earn',
    amount,
    reference: { type: 'activity', id: randomUUID() },
    description: 'Test award',
    idempotencyKey: `test:${randomUUID()}`,
    earnedOn: '2026-11-20',
    ...extra,
  });
  const ledgerOf = async (user: User) =>
    (await entries.list({ page: 1, per_page: 100, sort: 'sequence', filter: { user_id: user.id } })).data;
  const balanceOf = async (user: User) => (await users.get(user.id))!.pointBalance;

  it("numbers each user's entries 1, 2, 3 and chains balance_after; the balance follows", async () => {
    const { user } = await createUserWithToken(t);
    await ledger.post(earn(user, 120));
    await ledger.post({ ...earn(user, -20), type: 'spend', reference: null, earnedOn: undefined });
    await ledger.post({ ...earn(user, 5), type: 'refund', reference: null, earnedOn: undefined });
    const rows = await ledgerOf(user);
    expect(rows.map((r) => [r.sequence, r.amount, r.balanceAfter])).toEqual([
      [1, 120, 120],
      [2, -20, 100],
      [3, 5, 105],
    ]);
    expect(await balanceOf(user)).toBe(105);
    // Lifetime earnings count earning only, never spending or refunds.
    expect((await users.get(user.id))!.totalPointsEarned).toBe(120);
  });

  it('a repeated idempotency key changes nothing and returns the first entry', async () => {
    const { user } = await createUserWithToken(t);
    const entry = earn(user, 50);
    const first = await ledger.post(entry);
    const again = await ledger.post({ ...entry, amount: 70 });
    expect(again).toEqual({
      entry: expect.objectContaining({ id: first.entry!.id, amount: 50 }),
      replayed: true,
    });
    expect(await ledgerOf(user)).toHaveLength(1);
    expect(await balanceOf(user)).toBe(50);
  });

  it('refuses to take the balance below zero (409, nothing written); a clamped correction takes what is left', async () => {
    const { user } = await createUserWithToken(t);
    await ledger.post(earn(user, 30));
    await expect(
      ledger.post({ ...earn(user, -31), type: 'spend', reference: null, earnedOn: undefined }),
    ).rejects.toMatchObject({ kind: 'conflict', message: 'Insufficient points' });
    expect(await ledgerOf(user)).toHaveLength(1);
    const clamped = await ledger.post({ ...earn(user, -45), type: 'adjust', clampToBalance: true });
    expect(clamped.entry).toMatchObject({ amount: -30, balanceAfter: 0, sequence: 2 });
    expect(clamped.entry!.description).toMatch(/limited to the balance left/);
    expect(await balanceOf(user)).toBe(0);
  });

  it('refuses amounts of the wrong sign or not whole', async () => {
    const { user } = await createUserWithToken(t);
    await expect(ledger.post(earn(user, -5))).rejects.toMatchObject({ kind: 'unprocessable' });
    await expect(ledger.post(earn(user, 1.5))).rejects.toMatchObject({ kind: 'unprocessable' });
    await expect(ledger.post({ ...earn(user, 5), type: 'spend' })).rejects.toMatchObject({
      kind: 'unprocessable',
    });
    expect(await ledgerOf(user)).toHaveLength(0);
  });

  it('runs the points-changed hooks inside the transaction: a failing hook undoes the entry and the balance', async () => {
    const { user } = await createUserWithToken(t);
    const seen: unknown[] = [];
    t.app.get(PointsChangedHooks).subscribe(async (events) => {
      for (const event of events) {
        if (event.userId !== user.id) continue;
        seen.push(event);
        if (event.delta === 13) throw new Error('rollup failed');
      }
    });
    await ledger.post(earn(user, 40));
    expect(seen).toEqual([
      expect.objectContaining({
        userId: user.id,
        tierCode: null,
        earnedOn: '2026-11-20',
        delta: 40,
        at: expect.any(Date),
      }),
    ]);
    await expect(ledger.post(earn(user, 13))).rejects.toThrow('rollup failed');
    expect(await ledgerOf(user)).toHaveLength(1);
    expect(await balanceOf(user)).toBe(40);
    // Spending is not earning: no hook.
    await ledger.post({ ...earn(user, -10), type: 'spend', reference: null, earnedOn: undefined });
    expect(seen).toHaveLength(2);
  });

  describe('postMany', () => {
    const posting = (user: User, amount: number, extra: Partial<PostEntry> = {}) => {
      const { userId: _userId, ...rest } = earn(user, amount, extra);
      return rest;
    };

    it('posts in order as single posts would: one sequence run, each entry deciding from the balance before it', async () => {
      const { user } = await createUserWithToken(t);
      await ledger.post(earn(user, 10));
      const results = await ledger.postMany(user.id, [
        posting(user, 30),
        posting(user, -50, { type: 'adjust', clampToBalance: true }),
        posting(user, 7, { earnedOn: '2026-11-19' }),
      ]);
      expect(results.map((r) => [r.entry?.sequence, r.entry?.amount, r.replayed])).toEqual([
        [2, 30, false],
        [3, -40, false],
        [4, 7, false],
      ]);
      expect(results[1].entry!.description).toMatch(/limited to the balance left/);
      const rows = await ledgerOf(user);
      expect(rows.map((r) => [r.sequence, r.amount, r.balanceAfter])).toEqual([
        [1, 10, 10],
        [2, 30, 40],
        [3, -40, 0],
        [4, 7, 7],
      ]);
      expect(await users.get(user.id)).toMatchObject({ pointBalance: 7, totalPointsEarned: 7 });
    });

    it('replays keys posted before and repeated within the batch; a refused entry refuses the whole batch', async () => {
      const { user } = await createUserWithToken(t);
      const first = await ledger.post(earn(user, 20));
      const repeated = posting(user, 5);
      const results = await ledger.postMany(user.id, [
        { ...posting(user, 99), idempotencyKey: first.entry!.idempotencyKey },
        repeated,
        { ...repeated, amount: 6 },
      ]);
      expect(results.map((r) => [r.entry?.amount, r.replayed])).toEqual([
        [20, true],
        [5, false],
        [5, true],
      ]);
      await expect(
        ledger.postMany(user.id, [
          posting(user, 100),
          posting(user, -200, { type: 'spend', reference: null, earnedOn: undefined }),
        ]),
      ).rejects.toMatchObject({ kind: 'conflict', message: 'Insufficient points' });
      expect((await ledgerOf(user)).map((r) => r.amount)).toEqual([20, 5]);
      expect(await balanceOf(user)).toBe(25);
    });

    it('decides under the lock when given a function: what it reads no concurrent posting can change', async () => {
      const { user } = await createUserWithToken(t);
      await ledger.post(earn(user, 10));
      // Two deciders at once, each topping the balance up to a multiple of 100 from what it reads.
      const topUp = () =>
        ledger.postMany(user.id, async () => {
          const balance = await balanceOf(user);
          return [posting(user, 100 - (balance % 100))];
        });
      await Promise.all([topUp(), topUp()]);
      expect(await balanceOf(user)).toBe(200);
      await expect(ledger.postMany(user.id, async () => [posting(user, 1.5)])).rejects.toMatchObject({
        kind: 'unprocessable',
      });
      expect((await ledgerOf(user)).map((r) => r.amount)).toEqual([10, 90, 100]);
    });

    it('publishes the points-changed hook once per day earned on, with the summed change and the tier', async () => {
      const { user } = await createUserWithToken(t);
      await t.app.get(DataSource).getRepository(Profile).update({ userId: user.id }, { tierCode: 'OPEN' });
      const seen: unknown[][] = [];
      t.app.get(PointsChangedHooks).subscribe(async (events) => {
        if (events.some((event) => event.userId === user.id)) seen.push([...events]);
      });
      await ledger.postMany(user.id, [
        posting(user, 30),
        posting(user, 12, { earnedOn: '2026-11-19' }),
        posting(user, -8, { type: 'adjust' }),
        posting(user, 4, { type: 'refund', reference: null, earnedOn: undefined }),
      ]);
      const tierCode = 'OPEN';
      expect(seen).toEqual([
        [
          expect.objectContaining({ userId: user.id, tierCode, earnedOn: '2026-11-20', delta: 22 }),
          expect.objectContaining({ userId: user.id, tierCode, earnedOn: '2026-11-19', delta: 12 }),
        ],
      ]);
      // A deleted account's late correction reaches no board.
      await users.softDelete(user.id);
      await ledger.postMany(user.id, [posting(user, -3, { type: 'adjust' })]);
      expect(seen[1]).toEqual([expect.objectContaining({ tierCode: null, delta: -3 })]);
    });
  });

  it('a post inside a larger unit of work commits or rolls back with it', async () => {
    const { user } = await createUserWithToken(t);
    await expect(
      t.app.get(UnitOfWork).run(async () => {
        await ledger.post(earn(user, 25));
        await ledger.post(earn(user, 35));
        throw new Error('the rest of the unit failed');
      }),
    ).rejects.toThrow('the rest of the unit failed');
    expect(await ledgerOf(user)).toHaveLength(0);
    expect(await balanceOf(user)).toBe(0);
  });

  describe('POST /admin/users/{id}/points/adjust', () => {
    it('posts an adjust entry referencing the admin; Idempotency-Key makes a retry return the first result', async () => {
      const { user, client } = await createUserWithToken(t);
      const key = `retry-${randomUUID()}`;
      const first = await admin
        .post(`/admin/users/${user.id}/points/adjust`)
        .set('Idempotency-Key', key)
        .send({ amount: 250, reason: 'Goodwill for a sync outage' })
        .expect(201);
      expect(first.body).toMatchObject({
        transaction: {
          transaction_type: 'adjust',
          amount: 250,
          balance_after: 250,
          sequence: 1,
          reference_type: 'admin',
          earned_on: null,
          description: 'Adjusted by an admin: Goodwill for a sync outage',
        },
        point_balance: 250,
        replayed: false,
      });
      const retry = await admin
        .post(`/admin/users/${user.id}/points/adjust`)
        .set('Idempotency-Key', key)
        .send({ amount: 250, reason: 'Goodwill for a sync outage' })
        .expect(201);
      expect(retry.body).toMatchObject({ transaction: { id: first.body.transaction.id }, replayed: true });
      const balance = await client.get('/points/balance').expect(200);
      // An admin adjust is not earning: today's progress toward the cap is unchanged.
      expect(balance.body).toEqual({
        point_balance: 250,
        total_points_earned: 0,
        today_earned: 0,
        daily_cap: 1000,
      });
      const list = await client.get('/points/transactions').expect(200);
      expect(list.body.data).toEqual([expect.objectContaining({ sequence: 1, balance_after: 250 })]);
    });

    it('409 below zero, 422 for a zero amount or a bad key, 404 for an unknown user, 403 for a member', async () => {
      const { user, client } = await createUserWithToken(t);
      const below = await admin
        .post(`/admin/users/${user.id}/points/adjust`)
        .send({ amount: -1, reason: 'Too much' })
        .expect(409);
      expect(below.body.detail).toBe('Insufficient points');
      await admin.post(`/admin/users/${user.id}/points/adjust`).send({ amount: 0, reason: 'x' }).expect(422);
      await admin
        .post(`/admin/users/${user.id}/points/adjust`)
        .set('Idempotency-Key', 'has spaces in it')
        .send({ amount: 5, reason: 'x' })
        .expect(422);
      await admin
        .post(`/admin/users/${randomUUID()}/points/adjust`)
        .send({ amount: 5, reason: 'x' })
        .expect(404);
      await client.post(`/admin/users/${user.id}/points/adjust`).send({ amount: 5, reason: 'x' }).expect(403);
      expect(await ledgerOf(user)).toHaveLength(0);
    });
  });

  it("today_earned counts the earning of the user's today (by the day points count for, not when posted)", async () => {
    const { user, client } = await createUserWithToken(t);
    await ledger.post(earn(user, 60, { earnedOn: '2026-11-20' }));
    await ledger.post(earn(user, 45, { earnedOn: '2026-11-19' }));
    const balance = await client.get('/points/balance').expect(200);
    expect(balance.body).toMatchObject({ point_balance: 105, total_points_earned: 105, today_earned: 60 });
  });
});
