import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { LeaderboardRollup } from '@fittrack/leaderboards';
import { createTestApp, type TestApp, withEnv } from '../support/test-app';
import { createMember, earn, type Member } from './members';

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

interface BoardBody {
  tier_code: string;
  total_users: number;
  my_position: { rank: number; points: number } | null;
}

const board = async (member: Member, period: string): Promise<BoardBody> =>
  (await member.client.get(`/leaderboards/${period}`).expect(200)).body as BoardBody;

/** A change the cache is not told about: the rollup row written behind the service's back. */
async function behindTheCachesBack(t: TestApp, member: Member, periodKey: string, delta: number) {
  const { affected } = await t.app
    .get(DataSource)
    .createQueryBuilder()
    .update(LeaderboardRollup)
    .set({ points: () => `points + ${delta}` })
    .where('user_id = :userId AND period_key = :periodKey', { userId: member.user.id, periodKey })
    .execute();
  expect(affected).toBe(1);
}

async function waitFor<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Checkpoint 4's cache scenarios on real Redis (REDIS_URL): a board read is stored in Redis and served from
 * there, an award makes exactly the affected tier's affected periods fresh, and an entry expires from Redis
 * after LEADERBOARD_CACHE_TTL_S. Each app has a key prefix of its own on the shared Redis.
 */
describe('the leaderboard cache on Redis', () => {
  const redis = new Redis(REDIS_URL, { lazyConnect: true });
  const prefixes: string[] = [];
  const apps: TestApp[] = [];

  /**
   * An app (SQLite in-memory) caching in Redis under a fresh prefix (or another app's, to share its
   * cache); the clock frozen on a Wednesday.
   */
  async function appOnRedis(env: Record<string, string> = {}, prefix = `fittrack-lbcache-${randomUUID()}`) {
    prefixes.push(prefix);
    const t = await withEnv({ REDIS_URL, QUEUE_PREFIX: prefix, ...env }, () =>
      createTestApp({ now: '2026-03-11T16:00:00Z' }),
    );
    t.clock.freeze();
    apps.push(t);
    return { t, prefix };
  }

  /** The Redis keys holding a board's entries (and its generation), with their remaining TTL in ms. */
  async function keysOf(prefix: string, tierCode: string, periodKey: string) {
    const keys = (await redis.keys(`${prefix}:leaderboards*`)).filter((key) =>
      key.includes(`leaderboard:${tierCode}:${periodKey}:`),
    );
    return Promise.all(keys.map(async (key) => ({ key, ttl: await redis.pttl(key) })));
  }
  const entryKeys = async (prefix: string, tierCode: string, periodKey: string, part: string) =>
    (await keysOf(prefix, tierCode, periodKey)).filter((entry) => entry.key.includes(`:${part}`));

  beforeAll(async () => {
    // Redis is what this suite is about: unreachable is a failure, never a skip.
    await redis.connect();
  });

  afterAll(async () => {
    for (const t of apps) await t.close();
    for (const prefix of prefixes) {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
    }
    await redis.quit();
  });

  describe('with the default TTL', () => {
    let t: TestApp;
    let prefix: string;
    let me: Member;
    let other: Member;

    beforeAll(async () => {
      ({ t, prefix } = await appOnRedis());
      me = await createMember(t, { sex: 'male', dateOfBirth: '1990-05-15', fitness: 'intermediate' });
      other = await createMember(t, { sex: 'female', dateOfBirth: '1980-04-04', fitness: 'advanced' });
      await earn(t, me.user, 100, '2026-03-11');
      await earn(t, other.user, 70, '2026-03-11');
    });

    it('stores a board read in Redis for LEADERBOARD_CACHE_TTL_S and serves the next read from there', async () => {
      expect((await board(me, 'weekly')).my_position).toEqual({ rank: 1, points: 100 });
      // Small boards are cached whole (ADR 0031): one entry serves every page and every caller.
      const entry = await entryKeys(prefix, 'M-30-39-INT', 'weekly:2026-03-09', 'board');
      expect(entry).toHaveLength(1);
      // Expiring in Redis itself, within the default 300 s.
      expect(entry[0].ttl).toBeGreaterThan(290_000);
      expect(entry[0].ttl).toBeLessThanOrEqual(300_000);

      // The database moves without the cache knowing: the next read is the cached entry, not a query.
      await behindTheCachesBack(t, me, 'weekly:2026-03-09', 5);
      expect((await board(me, 'weekly')).my_position?.points).toBe(100);
      // Another instance on the same Redis (a database of its own, where `me` does not exist) is served
      // the entry from Redis: the board it shows is this app's.
      const { t: second } = await appOnRedis({}, prefix);
      const reader = await createMember(second, { sex: 'female', dateOfBirth: '1985-01-01' });
      const shared = (await reader.client.get('/leaderboards/weekly?tier=M-30-39-INT').expect(200)).body as {
        rankings: { user_id: string; points: number }[];
      };
      expect(shared.rankings).toEqual([expect.objectContaining({ user_id: me.user.id, points: 100 })]);
    });

    it('an award makes exactly the affected boards fresh: its tier and its periods; other entries survive', async () => {
      // Everything cached: my tier's four boards of today, and the other tier's weekly board.
      for (const period of ['daily', 'weekly', 'monthly', 'alltime']) await board(me, period);
      await board(other, 'weekly');
      // Then changes the cache is not told about, on every one of those boards.
      for (const key of ['daily:2026-03-11', 'weekly:2026-03-09', 'monthly:2026-03', 'alltime']) {
        await behindTheCachesBack(t, me, key, 1);
      }
      await behindTheCachesBack(t, other, 'weekly:2026-03-09', 1);
      // Still the entry cached before the test above moved the database (100, then +5, +1).
      expect((await board(me, 'weekly')).my_position?.points).toBe(100);
      expect((await board(other, 'weekly')).my_position?.points).toBe(70);

      // An award for yesterday (Tuesday): yesterday's daily board, this week, this month, all time.
      await earn(t, me.user, 10, '2026-03-10');
      expect((await board(me, 'weekly')).my_position?.points).toBe(105 + 1 + 10);
      expect((await board(me, 'monthly')).my_position?.points).toBe(100 + 1 + 10);
      expect((await board(me, 'alltime')).my_position?.points).toBe(100 + 1 + 10);
      // Today's daily board of my tier and the other tier's board were not touched: still served from Redis.
      expect((await board(me, 'daily')).my_position?.points).toBe(100);
      expect((await board(other, 'weekly')).my_position?.points).toBe(70);
      expect(await entryKeys(prefix, 'F-40-49-ADV', 'weekly:2026-03-09', 'board')).toHaveLength(1);
    });
  });

  describe('with LEADERBOARD_CACHE_TTL_S=2', () => {
    it('an entry expires from Redis after the TTL; the next read queries the database and caches afresh', async () => {
      const { t, prefix } = await appOnRedis({ LEADERBOARD_CACHE_TTL_S: '2' });
      const me = await createMember(t, { sex: 'male', dateOfBirth: '1990-05-15', fitness: 'beginner' });
      await earn(t, me.user, 40, '2026-03-11');
      expect((await board(me, 'monthly')).my_position?.points).toBe(40);
      const cached = await entryKeys(prefix, 'M-30-39-BEG', 'monthly:2026-03', 'board');
      expect(cached).toHaveLength(1);
      expect(cached[0].ttl).toBeGreaterThan(0);
      expect(cached[0].ttl).toBeLessThanOrEqual(2_000);
      await behindTheCachesBack(t, me, 'monthly:2026-03', 2);

      // Redis drops the entry by itself (no read in between), within the TTL plus a little.
      const left = await waitFor(
        () => redis.exists(cached[0].key),
        (exists) => exists === 0,
        5_000,
      );
      expect(left).toBe(0);
      expect((await board(me, 'monthly')).my_position?.points).toBe(42);
      const fresh = await entryKeys(prefix, 'M-30-39-BEG', 'monthly:2026-03', 'board');
      expect(fresh).toHaveLength(1);
      expect(fresh[0].ttl).toBeGreaterThan(0);
      expect(fresh[0].ttl).toBeLessThanOrEqual(2_000);
    }, 20_000);
  });
});
