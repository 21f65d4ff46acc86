import { randomUUID } from 'node:crypto';
import type { User } from '@fittrack/users';
import { createTestApp, TestApp } from '../support/test-app';
import { apiClient, ApiClient, asAdmin, asUser } from '../support/api-client';
import { createActivity, createUser } from './fixtures';

type Row = { id: string; activity_type: string; start_time: string; user_id: string };
const ids = (res: { body: { data: Row[] } }) => res.body.data.map((row) => row.id);

describe('activities API', () => {
  let t: TestApp;
  let admin: ApiClient;
  let owner: User;
  let other: User;

  beforeAll(async () => {
    t = await createTestApp({ now: '2026-01-17T15:00:00Z' });
    admin = await asAdmin(t);
    owner = await createUser(t);
    other = await createUser(t);
  });
  afterAll(() => t.close());

  it('filters by activity_type with pagination metadata', async () => {
    await createActivity(t, owner, { activityType: 'workout' });
    await createActivity(t, owner, { activityType: 'steps', intensity: null, metrics: { steps: 8000 } });
    await createActivity(t, owner, {
      activityType: 'active_minutes',
      startTime: new Date('2026-01-16T16:00:00Z'),
    });
    const res = await admin
      .get(`/activities?filter[activity_type]=workout&filter[user_id]=${owner.id}`)
      .expect(200);
    expect(res.body.data.length).toBeGreaterThan(0);
    expect(res.body.data.every((row: Row) => row.activity_type === 'workout')).toBe(true);
    expect(res.body.meta).toEqual({ page: 1, per_page: 20, total: res.body.data.length, total_pages: 1 });
    const all = await admin.get('/activities?filter[activity_type]=workout&per_page=100').expect(200);
    expect(all.body.data.every((row: Row) => row.activity_type === 'workout')).toBe(true);
  });

  it('filters by inclusive calendar dates in the competition time zone, newest first', async () => {
    const user = await createUser(t);
    // 23:30 in New York on Jan 15 and Jan 16 (04:30 UTC the next day).
    const lateJan15 = await createActivity(t, user, { startTime: new Date('2026-01-16T04:30:00Z') });
    const morningJan16 = await createActivity(t, user, { startTime: new Date('2026-01-16T14:00:00Z') });
    const lateJan16 = await createActivity(t, user, { startTime: new Date('2026-01-17T04:30:00Z') });
    const res = await admin
      .get(`/activities?filter[user_id]=${user.id}&filter[start_date]=2026-01-16&filter[end_date]=2026-01-16`)
      .expect(200);
    expect(ids(res)).toEqual([lateJan16.id, morningJan16.id]);
    const oldestFirst = await admin.get(`/activities?filter[user_id]=${user.id}&sort=start_time`).expect(200);
    expect(ids(oldestFirst)).toEqual([lateJan15.id, morningJan16.id, lateJan16.id]);
  });

  it('sorts by points_earned', async () => {
    const user = await createUser(t);
    const low = await createActivity(t, user, { pointsEarned: 5 });
    const high = await createActivity(t, user, { pointsEarned: 500 });
    const res = await admin.get(`/activities?filter[user_id]=${user.id}&sort=-points_earned`).expect(200);
    expect(ids(res)).toEqual([high.id, low.id]);
  });

  it('GET /activities/:id returns every field including metrics and points_earned', async () => {
    const activity = await createActivity(t, owner, {
      metrics: { calories: 321, avg_heart_rate: 150, workout_name: 'Rowing' },
      pointsEarned: 140,
    });
    const res = await admin.get(`/activities/${activity.id}`).expect(200);
    expect(res.body).toMatchObject({
      id: activity.id,
      user_id: owner.id,
      provider: 'fitbit',
      activity_type: 'workout',
      duration_minutes: 30,
      intensity: 'vigorous',
      metrics: { calories: 321, avg_heart_rate: 150, workout_name: 'Rowing' },
      points_earned: 140,
      is_duplicate: false,
      start_time: activity.startTime.toISOString(),
    });
  });

  it('a user sees only their own activities; someone else’s is 404', async () => {
    const mine = await createActivity(t, owner);
    const theirs = await createActivity(t, other);
    const client = asUser(t, owner);
    const res = await client.get('/activities?per_page=100').expect(200);
    expect(res.body.data.every((row: Row) => row.user_id === owner.id)).toBe(true);
    expect(ids(res)).toContain(mine.id);
    await client.get(`/activities/${mine.id}`).expect(200);
    const hidden = await client.get(`/activities/${theirs.id}`).expect(404);
    expect(hidden.body.detail).toBe('Activity not found');
    await client.get(`/activities?filter[user_id]=${other.id}`).expect(403);
  });

  it('requires authentication', async () => {
    await apiClient(t).get('/activities').expect(401);
  });

  it('unknown id is 404; bad filters, dates and sorts are 422', async () => {
    await admin.get(`/activities/${randomUUID()}`).expect(404);
    await admin.get('/activities?filter[activity_type]=swimming').expect(422);
    await admin.get('/activities?filter[start_date]=2026-02-30x').expect(422);
    await admin.get('/activities?filter[provider]=fitbit').expect(422);
    await admin.get('/activities?sort=metrics').expect(422);
  });
});
