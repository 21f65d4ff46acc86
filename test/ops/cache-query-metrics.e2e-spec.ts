import { createUserWithToken } from '../support/api-client';
import { createTestApp, TestApp } from '../support/test-app';

/** Sums every sample of `name` whose labels include `labels` (0 when absent). */
function total(text: string, name: string, labels: Record<string, string> = {}): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  return text
    .split('\n')
    .filter((l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && want.every((w) => l.includes(w)))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

/** The figures the load test reads from /metrics: the leaderboard cache's hits and misses, query timings. */
describe('/metrics: leaderboard cache outcomes and query durations', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('a first board read is a miss, the same read again a hit; every query is timed', async () => {
    const { client } = await createUserWithToken(t);
    const scrape = async () => (await t.http().get('/metrics').expect(200)).text;
    const before = await scrape();
    await client.get('/leaderboards/weekly').query({ tier: 'OPEN' }).expect(200);
    const afterFirst = await scrape();
    expect(total(afterFirst, 'leaderboard_cache_requests_total', { outcome: 'miss' })).toBeGreaterThan(
      total(before, 'leaderboard_cache_requests_total', { outcome: 'miss' }),
    );
    await client.get('/leaderboards/weekly').query({ tier: 'OPEN' }).expect(200);
    const afterSecond = await scrape();
    expect(total(afterSecond, 'leaderboard_cache_requests_total', { outcome: 'miss' })).toBe(
      total(afterFirst, 'leaderboard_cache_requests_total', { outcome: 'miss' }),
    );
    expect(total(afterSecond, 'leaderboard_cache_requests_total', { outcome: 'hit' })).toBeGreaterThan(
      total(afterFirst, 'leaderboard_cache_requests_total', { outcome: 'hit' }),
    );
    // The reads above queried the database (the user, the board): each query lands in the histogram.
    expect(total(afterFirst, 'db_query_duration_seconds_count', { outcome: 'ok' })).toBeGreaterThan(
      total(before, 'db_query_duration_seconds_count', { outcome: 'ok' }),
    );
  });
});
