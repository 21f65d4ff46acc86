import { randomUUID } from 'node:crypto';
import { LedgerService, PointTransactionsRepository, type PostEntry } from '@fittrack/points';
import { UsersRepository } from '@fittrack/users';
import { createUserWithToken } from '../support/api-client';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * Concurrent postings for one user (architecture.md, Transactions and concurrency). On PostgreSQL they
 * really race over a connection pool; on SQLite units of work take turns.
 */
describe('points ledger under concurrency', () => {
  let t: TestApp;
  let ledger: LedgerService;

  beforeAll(async () => {
    t = await createTestApp();
    ledger = t.app.get(LedgerService);
  });
  afterAll(() => t.close());

  const entry = (userId: string, amount: number): PostEntry =>
    amount > 0
      ? {
          userId,
          type: 'earn',
          amount,
          reference: { type: 'activity', id: randomUUID() },
          description: 'Award',
          idempotencyKey: `race:${randomUUID()}`,
          earnedOn: '2026-11-20',
        }
      : {
          userId,
          type: 'spend',
          amount,
          reference: null,
          description: 'Tickets',
          idempotencyKey: `race:${randomUUID()}`,
        };

  it('50 parallel awards and spends: no lost update, never negative, sequence 1..n, balance = sum = last balance_after', async () => {
    const { user } = await createUserWithToken(t);
    await ledger.post(entry(user.id, 100));
    // 25 awards of 10 and 25 spends of 15, interleaved: some spends find the balance short and get 409.
    const amounts = Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? 10 : -15));
    const results = await Promise.allSettled(amounts.map((amount) => ledger.post(entry(user.id, amount))));
    const refused = results.filter((r) => r.status === 'rejected');
    for (const r of refused)
      expect((r as PromiseRejectedResult).reason).toMatchObject({ message: 'Insufficient points' });
    const applied = amounts.filter((_, i) => results[i].status === 'fulfilled');
    expect(applied.filter((a) => a > 0)).toHaveLength(25); // awards are never refused

    const rows = (
      await t.app
        .get(PointTransactionsRepository)
        .list({ page: 1, per_page: 100, sort: 'sequence', filter: { user_id: user.id } })
    ).data;
    expect(rows.map((r) => r.sequence)).toEqual(rows.map((_, i) => i + 1));
    let running = 0;
    for (const row of rows) {
      running += row.amount;
      expect(row.balanceAfter).toBe(running);
      expect(row.balanceAfter).toBeGreaterThanOrEqual(0);
    }
    const expected = 100 + applied.reduce((sum, a) => sum + a, 0);
    expect(running).toBe(expected);
    expect((await t.app.get(UsersRepository).get(user.id))!.pointBalance).toBe(expected);
  });

  it('10 parallel posts with one idempotency key write one entry', async () => {
    const { user } = await createUserWithToken(t);
    const once = entry(user.id, 40);
    const results = await Promise.all(Array.from({ length: 10 }, () => ledger.post(once)));
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(new Set(results.map((r) => r.entry!.id)).size).toBe(1);
    expect((await t.app.get(UsersRepository).get(user.id))!.pointBalance).toBe(40);
  });
});
