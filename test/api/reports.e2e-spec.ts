import { randomUUID } from 'node:crypto';
import { User } from '@fittrack/users';
import { createTestApp, TestApp } from '../support/test-app';
import { ApiClient, asAdmin, asUser } from '../support/api-client';
import { addLedger, createActivity, createUser, dataSource } from './fixtures';

interface Check {
  name: string;
  passed: boolean;
  count: number;
  details: string;
}
const countOf = (body: { integrity: { checks: Check[] } }, name: string) =>
  body.integrity.checks.find((check) => check.name === name)!.count;

describe('reports API', () => {
  let t: TestApp;
  let admin: ApiClient;

  beforeAll(async () => {
    t = await createTestApp({ now: '2026-01-16T21:00:00Z' });
    t.clock.freeze('2026-01-16T21:00:00Z');
    admin = await asAdmin(t);
  });
  afterAll(() => t.close());

  const summary = async () => (await admin.get('/reports/summary').expect(200)).body;

  it('counts entities and workflow figures with SQL aggregates', async () => {
    const before = await summary();
    const user = await createUser(t, { status: 'pending' });
    await createActivity(t, user);
    await addLedger(t, user, [{ amount: 200 }, { amount: -100, transactionType: 'spend' }]);
    const after = await summary();
    expect(after.counts.users - before.counts.users).toBe(1);
    expect(after.counts.profiles - before.counts.profiles).toBe(1);
    expect(after.counts.activities - before.counts.activities).toBe(1);
    expect(after.counts.point_transactions - before.counts.point_transactions).toBe(2);
    expect(Object.keys(after.counts).sort()).toEqual(
      [
        'users',
        'profiles',
        'tracker_connections',
        'activities',
        'point_transactions',
        'drawings',
        'prizes',
        'tickets',
        'prize_fulfillments',
        'sponsors',
        'email_outbox',
      ].sort(),
    );
    expect(after.workflow.registrations.pending - before.workflow.registrations.pending).toBe(1);
    expect(after.workflow.purchases.points_spent - before.workflow.purchases.points_spent).toBe(100);
    expect(after.workflow.drawings).toEqual(
      expect.objectContaining({ draft: expect.any(Number), completed: expect.any(Number) }),
    );
    expect(after.workflow.syncs).toEqual(
      expect.objectContaining({ pending: expect.any(Number), ok: expect.any(Number) }),
    );
    expect(after.generated_at).toBe('2026-01-16T21:00:00.000Z');

    // Soft-deleted users leave the counts.
    await admin.delete(`/users/${user.id}`).expect(204);
    expect((await summary()).counts.users).toBe(before.counts.users);
  });

  it('integrity is ok on a consistent dataset and fails when a balance is broken in the database', async () => {
    const baseline = await summary();
    const user = await createUser(t);
    await addLedger(t, user, [{ amount: 500 }, { amount: -200, transactionType: 'spend' }, { amount: 40 }]);
    const consistent = await summary();
    for (const check of consistent.integrity.checks) {
      expect([check.name, check.count]).toEqual([check.name, countOf(baseline, check.name)]);
    }
    // A fresh SQLite database holds only this file's data, which is consistent.
    if (process.env.TEST_DB !== 'postgres') expect(consistent.integrity.ok).toBe(true);

    const users = dataSource(t).getRepository(User);
    await users.update({ id: user.id }, { pointBalance: 9999 });
    try {
      const broken = await summary();
      expect(broken.integrity.ok).toBe(false);
      expect(countOf(broken, 'ledger_sum_matches_balance')).toBe(
        countOf(baseline, 'ledger_sum_matches_balance') + 1,
      );
      expect(countOf(broken, 'latest_balance_after_matches_balance')).toBe(
        countOf(baseline, 'latest_balance_after_matches_balance') + 1,
      );
      const check = broken.integrity.checks.find((c: Check) => c.name === 'ledger_sum_matches_balance');
      expect(check).toMatchObject({ passed: false, details: expect.stringContaining('sum') });
    } finally {
      // Leave the shared (PostgreSQL) database consistent for other suites.
      await users.update({ id: user.id }, { pointBalance: 340 });
    }
    const repaired = await summary();
    expect(countOf(repaired, 'ledger_sum_matches_balance')).toBe(
      countOf(baseline, 'ledger_sum_matches_balance'),
    );
  });

  it('flags a balance that matches the sum but not the latest balance_after', async () => {
    const baseline = await summary();
    const user = await createUser(t);
    const [, last] = await addLedger(t, user, [{ amount: 100 }, { amount: 50 }]);
    await dataSource(t).query(
      `UPDATE point_transactions SET balance_after = 120 WHERE id = ${process.env.TEST_DB === 'postgres' ? '$1' : '?'}`,
      [last.id],
    );
    const broken = await summary();
    expect(countOf(broken, 'ledger_sum_matches_balance')).toBe(
      countOf(baseline, 'ledger_sum_matches_balance'),
    );
    expect(countOf(broken, 'latest_balance_after_matches_balance')).toBe(
      countOf(baseline, 'latest_balance_after_matches_balance') + 1,
    );
    await dataSource(t).query(
      `UPDATE point_transactions SET balance_after = 150 WHERE id = ${process.env.TEST_DB === 'postgres' ? '$1' : '?'}`,
      [last.id],
    );
  });

  it('is admin only', async () => {
    const user = await createUser(t, { email: `reader-${randomUUID()}@example.com` });
    await asUser(t, user).get('/reports/summary').expect(403);
  });
});
