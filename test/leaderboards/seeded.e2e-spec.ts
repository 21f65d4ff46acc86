import { DataSource } from 'typeorm';
import { LeaderboardRollup } from '@fittrack/leaderboards';
import { PointTransaction } from '@fittrack/points';
import { SeedService } from '@fittrack/seeding';
import { User } from '@fittrack/users';
import { asUser } from '../support/api-client';
import { createTestApp, type TestApp } from '../support/test-app';

// The seeder pays through the engine and the ledger: seconds per seed on PostgreSQL.
jest.setTimeout(60_000);

/** A freshly seeded database has boards: the seeder's awards go through the ledger's hook. */
describe('leaderboards on seeded data', () => {
  let t: TestApp;
  /** The users the seed made (on PostgreSQL other files' users share the database). */
  const seeded = new Set<string>();

  beforeAll(async () => {
    t = await createTestApp({ now: '2026-03-10T15:30:00Z' });
    const users = t.app.get(DataSource).getRepository(User);
    const before = new Set((await users.find({ select: { id: true }, withDeleted: true })).map((u) => u.id));
    await t.app.get(SeedService).seed({ users: 40, activities: 400, drawings: 2, randomSeed: 11 });
    for (const { id } of await users.find({ select: { id: true }, withDeleted: true })) {
      if (!before.has(id)) seeded.add(id);
    }
  });
  afterAll(() => t.close());

  it("every seeded earner's all-time rollup equals their earning in the ledger, and their boards show it", async () => {
    const ds = t.app.get(DataSource);
    const earned = await ds
      .getRepository(PointTransaction)
      .createQueryBuilder('e')
      .select('e.userId', 'userId')
      .addSelect('SUM(e.amount)', 'points')
      .where('e.earnedOn IS NOT NULL')
      .groupBy('e.userId')
      .getRawMany<{ userId: string; points: string | number }>()
      .then((rows) => rows.filter((row) => seeded.has(row.userId)));
    const earners = earned.filter((row) => Number(row.points) > 0);
    expect(earners.length).toBeGreaterThan(10);
    const rollups = await ds.getRepository(LeaderboardRollup).findBy({ periodKey: 'alltime' });
    const byUser = new Map(rollups.map((row) => [row.userId, row.points]));
    for (const row of earned)
      expect([row.userId, byUser.get(row.userId) ?? 0]).toEqual([row.userId, Number(row.points)]);

    // A seeded earner with a tier sees their all-time board with themselves on it.
    const users = await ds.getRepository(User).find({ relations: { profile: true } });
    const ranked = users.find(
      (user) => user.profile?.tierCode && earners.some((row) => row.userId === user.id) && !user.deletedAt,
    )!;
    const board = (await asUser(t, ranked).get('/leaderboards/alltime').expect(200)).body;
    expect(board.total_users).toBeGreaterThan(0);
    expect(board.my_position.points).toBe(byUser.get(ranked.id));
  });
});
