import { SelectQueryBuilder } from 'typeorm';
import { createTestApp, TestApp } from '../support/test-app';
import { ApiClient, asAdmin } from '../support/api-client';
import { createActivity, createUser } from './fixtures';

type Row = { id: string; start_time: string; points_earned: number };

/**
 * Pages past the middle are read from the end in reverse (BaseRepository.list); walking every page must
 * give exactly the one-page listing, ties included, whatever the sort.
 */
describe('pagination', () => {
  const COUNT = 23;
  let t: TestApp;
  let admin: ApiClient;
  let userId: string;

  beforeAll(async () => {
    t = await createTestApp({ now: '2026-01-17T15:00:00Z' });
    admin = await asAdmin(t);
    const user = await createUser(t);
    userId = user.id;
    for (let i = 0; i < COUNT; i++) {
      // Few distinct start times and points, so most of the order rests on the id tiebreaker.
      await createActivity(t, user, {
        startTime: new Date(Date.UTC(2026, 0, 10 + (i % 4), 15)),
        pointsEarned: (i % 3) * 10,
      });
    }
  });
  afterAll(() => t.close());

  const list = (query: string) => admin.get(`/activities?filter[user_id]=${userId}&${query}`).expect(200);

  it.each(['-start_time', 'start_time', 'points_earned,-start_time', '-points_earned,created_at'])(
    'walks every page of sort=%s in the one-page order',
    async (sort) => {
      const whole = (await list(`sort=${sort}&per_page=100`)).body.data as Row[];
      expect(whole).toHaveLength(COUNT);
      const walked: Row[] = [];
      for (let page = 1; page <= 5; page++) {
        const res = await list(`sort=${sort}&per_page=5&page=${page}`);
        expect(res.body.meta).toEqual({ page, per_page: 5, total: COUNT, total_pages: 5 });
        expect(res.body.data).toHaveLength(page < 5 ? 5 : 3);
        walked.push(...res.body.data);
      }
      expect(walked.map((row) => row.id)).toEqual(whole.map((row) => row.id));
    },
  );

  it('orders newest first with ids breaking ties in the same direction', async () => {
    const whole = (await list('per_page=100')).body.data as Row[];
    const expected = [...whole].sort(
      (a, b) => b.start_time.localeCompare(a.start_time) || b.id.localeCompare(a.id),
    );
    expect(whole.map((row) => row.id)).toEqual(expected.map((row) => row.id));
  });

  it('counts only a full first page: a shorter one is the whole set', async () => {
    const counts = jest.spyOn(SelectQueryBuilder.prototype, 'getCount');
    try {
      const short = await list('per_page=100');
      expect(short.body.meta).toEqual({ page: 1, per_page: 100, total: COUNT, total_pages: 1 });
      expect(counts).not.toHaveBeenCalled();
      const full = await list(`per_page=${COUNT}`);
      expect(full.body.meta).toEqual({ page: 1, per_page: COUNT, total: COUNT, total_pages: 1 });
      expect(counts).toHaveBeenCalledTimes(1);
    } finally {
      counts.mockRestore();
    }
  });

  it('answers a page past the end with no rows and the true total', async () => {
    const res = await list('per_page=5&page=6');
    expect(res.body).toEqual({ data: [], meta: { page: 6, per_page: 5, total: COUNT, total_pages: 5 } });
  });
});
