import request from 'supertest';
import { DataSource } from 'typeorm';
import { EmailOutbox } from '@fittrack/notifications';
import {
  Activity,
  ConnectionsService,
  fullDayTotals,
  signTerraPayload,
  TerraRuntime,
  TerraWebhookEvent,
} from '@fittrack/trackers';
import type { User } from '@fittrack/users';
import { createUser } from '../api/fixtures';
import { type ApiClient, asUser } from '../support/api-client';
import { createTestApp, type TestApp, withEnv } from '../support/test-app';
import {
  connectionsOf,
  connectThroughWidget,
  createTerraTestApp,
  freePort,
  pathOf,
  syncService,
  TERRA_TEST,
  type TerraTestApp,
} from './helpers';

const NOW = '2026-03-10T15:00:00Z';
const TODAY = '2026-03-10';

type ConnectionRow = {
  provider: string;
  is_primary: boolean;
  sync_status: string;
  last_sync_at: string | null;
};

describe(`tracker connections through the fake Terra (${process.env.TEST_DB === 'postgres' ? 'PostgreSQL' : 'SQLite'})`, () => {
  let t: TerraTestApp;
  beforeAll(async () => {
    t = await createTerraTestApp({ now: NOW });
  });
  afterAll(() => t.close());

  async function newUser(): Promise<{ user: User; client: ApiClient }> {
    const user = await createUser(t);
    return { user, client: asUser(t, user) };
  }

  const activitiesOf = (userId: string) =>
    t.app
      .get(DataSource)
      .getRepository(Activity)
      .find({ where: { userId }, order: { startTime: 'ASC' } });

  it('initiate answers a Terra widget URL and a session id; an unknown provider is 422', async () => {
    const { client } = await newUser();
    const res = await client.post('/connections/fitbit/initiate').expect(200);
    expect(res.body.auth_url).toMatch(new RegExp(`^${t.fake.url}/widget/`));
    expect(res.body.session_id).toEqual(expect.any(String));
    const bad = await client.post('/connections/garmin/initiate').expect(422);
    expect(bad.body.detail).toContain('provider must be one of');
  });

  it('the callback creates the first connection as primary, pending, queues a sync that stores and pays activities, and redirects to the app', async () => {
    const { user, client } = await newUser();
    const { callback, terraUserId } = await connectThroughWidget(t, client, 'fitbit');
    expect(callback.status).toBe(302);
    expect(callback.headers.location).toContain('/test/');
    expect(callback.headers.location).toContain('connect=connected');
    const [row] = await connectionsOf(t, user.id);
    expect(row).toMatchObject({ provider: 'fitbit', isPrimary: true, terraUserId });
    // Created pending; the sync it queued runs at once in the in-process queue and may be done already.
    expect(['pending', 'syncing', 'ok']).toContain(row.syncStatus);
    // Provider data is stored encrypted, with its key id.
    expect(row.encryptionKeyId).toBe('k1');
    expect(row.providerDataEncrypted).not.toContain(terraUserId);

    await t.drainJobs();
    const listed = await client.get('/connections').expect(200);
    expect(listed.body).toHaveLength(1); // the auth webhook arrived too: still one connection
    expect(listed.body[0]).toMatchObject({ provider: 'fitbit', is_primary: true, sync_status: 'ok' });
    expect(listed.body[0].last_sync_at).not.toBeNull();

    const activities = await activitiesOf(user.id);
    const steps = activities.find((a) => a.externalId === `daily:${TODAY}:steps`)!;
    // The fake's running total when the sync read it: 15/24 of the day's steps at 15:00 UTC, plus what the
    // seconds the test clock has run since then add (a loaded machine takes a few).
    const fullDay = fullDayTotals(terraUserId!, TODAY).steps;
    const dayFraction = (at: Date) => (at.getTime() - Date.parse(`${TODAY}T00:00:00Z`)) / 86_400_000;
    expect(steps.metrics.steps).toBeGreaterThanOrEqual(Math.floor(fullDay * (15 / 24)));
    expect(steps.metrics.steps).toBeLessThanOrEqual(Math.floor(fullDay * dayFraction(t.clock.now())));
    expect(steps.pointsEarned).toBeGreaterThan(0);
    expect(activities.some((a) => a.activityType === 'workout' && a.day === TODAY)).toBe(true);
    // History from before the connection day is stored, never paid.
    const older = activities.filter((a) => a.day < TODAY);
    expect(older.length).toBeGreaterThan(0);
    expect(older.every((a) => a.pointsEarned === 0)).toBe(true);
  });

  it('a bad, expired or foreign state is 400; a Terra user that is not this user’s is 400', async () => {
    const { client } = await newUser();
    const { initiated } = await connectThroughWidget(t, client, 'fitbit', 'deny');
    const session = new URL(initiated.body.auth_url as string);
    expect(session.pathname).toContain('/widget/');
    await t.http().get('/api/v1/connections/fitbit/callback?state=forged.state&user_id=x').expect(400);
    await t.http().get('/api/v1/connections/fitbit/callback').expect(400);

    // A state for google_fit cannot complete a fitbit connection, and an expired one is refused.
    const other = await client.post('/connections/google_fit/initiate').expect(200);
    const page = await request(other.body.auth_url as string)
      .post('')
      .type('form')
      .send({ action: 'approve' });
    const location = new URL(page.headers.location as string);
    const wrongProvider = pathOf(location.toString()).replace('/google_fit/', '/fitbit/');
    await t.http().get(wrongProvider).expect(400);

    // Someone else's Terra user id with my valid state: Terra does not confirm it.
    const stranger = t.fake.createUser('GOOGLE', 'someone-else');
    location.searchParams.set('user_id', stranger.user_id);
    const forged = await t.http().get(pathOf(location.toString())).expect(400);
    expect(forged.body.detail).toBe('Terra did not confirm this connection');

    t.clock.advance(16 * 60_000);
    location.searchParams.delete('user_id');
    const fresh = await client.post('/connections/google_fit/initiate').expect(200);
    t.clock.advance(16 * 60_000);
    const late = await request(fresh.body.auth_url as string).get('');
    expect(late.status).toBe(404); // the widget session expired too
    const expired = await t
      .http()
      .get(pathOf(location.toString()) + '&user_id=x')
      .expect(400);
    expect(expired.body.detail).toBe('Invalid or expired state');
  });

  it('a denied widget redirects to the app with connect=denied and creates nothing', async () => {
    const { user, client } = await newUser();
    const { callback } = await connectThroughWidget(t, client, 'fitbit', 'deny');
    expect(callback.status).toBe(302);
    expect(callback.headers.location).toContain('connect=denied');
    await t.drainJobs();
    expect(await connectionsOf(t, user.id)).toHaveLength(0);
  });

  it('the auth webhook alone creates the connection, and the callback after it changes nothing', async () => {
    const { user, client } = await newUser();
    const initiated = await client.post('/connections/fitbit/initiate').expect(200);
    const approved = await request(initiated.body.auth_url as string)
      .post('')
      .type('form')
      .send({ action: 'approve' });
    await t.drainJobs(); // the auth webhook first
    const [byWebhook] = await connectionsOf(t, user.id);
    expect(byWebhook).toMatchObject({ provider: 'fitbit', isPrimary: true });
    await t
      .http()
      .get(pathOf(approved.headers.location as string))
      .expect(302);
    await t.drainJobs();
    const rows = await connectionsOf(t, user.id);
    expect(rows).toHaveLength(1);
    expect(rows[0].id).toBe(byWebhook.id);
  });

  it('a second tracker is not primary; set-primary moves it; the primary wins overlapping workouts', async () => {
    const { user, client } = await newUser();
    await connectThroughWidget(t, client, 'fitbit');
    await connectThroughWidget(t, client, 'google_fit');
    await t.drainJobs();
    const listed = (await client.get('/connections').expect(200)).body as ConnectionRow[];
    expect(listed.map((c) => [c.provider, c.is_primary])).toEqual([
      ['fitbit', true],
      ['google_fit', false],
    ]);
    // Both fakes put today's first workout at 07:00 UTC: google_fit's overlaps fitbit's and pays nothing.
    const workouts = (await activitiesOf(user.id)).filter(
      (a) => a.activityType === 'workout' && a.day === TODAY,
    );
    const google = workouts.filter((a) => a.provider === 'google_fit');
    expect(google.length).toBeGreaterThan(0);
    expect(google.some((a) => a.isDuplicate && a.pointsEarned === 0)).toBe(true);

    const res = await client.put('/connections/google_fit/set-primary').expect(200);
    expect(res.body).toMatchObject({ provider: 'google_fit', is_primary: true });
    const after = (await client.get('/connections').expect(200)).body as ConnectionRow[];
    expect(after.filter((c) => c.is_primary).map((c) => c.provider)).toEqual(['google_fit']);
    await client.put('/connections/apple_health/set-primary').expect(404);
  });

  it('delete keeps activities, promotes another primary, deauthenticates at Terra; reconnecting works', async () => {
    const { user, client } = await newUser();
    const { terraUserId } = await connectThroughWidget(t, client, 'fitbit');
    await connectThroughWidget(t, client, 'google_fit');
    await t.drainJobs();
    const before = (await activitiesOf(user.id)).filter((a) => a.provider === 'fitbit').length;
    expect(before).toBeGreaterThan(0);

    await client.delete('/connections/fitbit').expect(204);
    await t.drainJobs();
    expect((await activitiesOf(user.id)).filter((a) => a.provider === 'fitbit')).toHaveLength(before);
    const listed = (await client.get('/connections').expect(200)).body as ConnectionRow[];
    expect(listed.map((c) => [c.provider, c.is_primary])).toEqual([['google_fit', true]]);
    expect(t.fake.users.has(terraUserId!)).toBe(false);
    // Terra's deauth webhook for the deleted connection sends no reconnect email.
    const emails = await t.app.get(DataSource).getRepository(EmailOutbox).findBy({ toAddress: user.email });
    expect(emails.filter((e) => e.template === 'tracker_reconnect')).toHaveLength(0);
    await client.delete('/connections/fitbit').expect(404);

    // Reconnect: the deleted row does not block the unique key.
    const again = await connectThroughWidget(t, client, 'fitbit');
    expect(again.callback.status).toBe(302);
    await t.drainJobs();
    const rows = await connectionsOf(t, user.id);
    expect(rows.filter((r) => r.provider === 'fitbit')).toHaveLength(2);
    expect(rows.filter((r) => r.provider === 'fitbit' && r.deletedAt === null)).toHaveLength(1);
  });

  it('manual sync: 202, then 429 with Retry-After within 5 minutes, then 202 again', async () => {
    const { client } = await newUser();
    await connectThroughWidget(t, client, 'fitbit');
    await t.drainJobs();
    const first = await client.post('/connections/fitbit/sync').expect(202);
    expect(first.body).toEqual({ message: 'Sync queued' });
    t.clock.advance(2 * 60_000);
    const limited = await client.post('/connections/fitbit/sync').expect(429);
    expect(limited.body.detail).toBe('Manual sync allowed once per 5 minutes');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(170);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(180);
    t.clock.advance(3 * 60_000 + 1000);
    await client.post('/connections/fitbit/sync').expect(202);
    await client.post('/connections/google_fit/sync').expect(404);
    await t.drainJobs();
  });

  it('the 15-minute tick selects a connection last synced 16 minutes ago and syncs it up to now', async () => {
    const { user, client } = await newUser();
    await connectThroughWidget(t, client, 'fitbit');
    await t.drainJobs();
    const [synced] = await connectionsOf(t, user.id);
    // Not due yet.
    const mine = () => connectionsOf(t, user.id).then(([row]) => row);
    t.clock.advance(16 * 60_000);
    const enqueued = await syncService(t).enqueueDue();
    expect(enqueued).toBeGreaterThan(0);
    await t.drainJobs();
    const after = await mine();
    expect(new Date(after.lastSyncAt!).getTime()).toBeGreaterThan(new Date(synced.lastSyncAt!).getTime());
    expect(after.syncStatus).toBe('ok');
    // The running total grew with the day: the steps record was revised upward and paid the difference.
    const steps = (await activitiesOf(user.id)).find((a) => a.externalId === `daily:${TODAY}:steps`)!;
    expect(steps.metrics.steps).toBeGreaterThan(0);
  });

  it('Apple Health: initiate answers an SDK token; the SDK connect sends the auth webhook that creates the connection', async () => {
    const { user, client } = await newUser();
    const res = await client.post('/connections/apple_health/initiate').expect(200);
    expect(res.body).toEqual({ sdk_token: expect.any(String), expires_in: 180 });
    await request(t.fake.url).post('/sdk/connect').send({ token: res.body.sdk_token }).expect(200);
    await t.drainJobs();
    const listed = (await client.get('/connections').expect(200)).body as ConnectionRow[];
    expect(listed).toEqual([
      expect.objectContaining({ provider: 'apple_health', is_primary: true, sync_status: 'ok' }),
    ]);
    expect((await activitiesOf(user.id)).some((a) => a.provider === 'apple_health')).toBe(true);
  });

  it("the test page's Apple Health connect exists only with the in-process fake Terra: 404 here", async () => {
    const { client } = await newUser();
    const { sdk_token } = (await client.post('/connections/apple_health/initiate').expect(200)).body;
    const res = await client
      .post('/connections/apple_health/fake-sdk-connect')
      .send({ sdk_token })
      .expect(404);
    expect(res.body.detail).toBe('Route not found');
  });

  it('user_reauth moves the connection to the new Terra user id and keeps its history', async () => {
    const { user, client } = await newUser();
    const { terraUserId } = await connectThroughWidget(t, client, 'fitbit');
    await t.drainJobs();
    const [before] = await connectionsOf(t, user.id);
    const fresh = t.fake.createUser('FITBIT', user.id);
    const status = await t.fake.sendWebhook({
      type: 'user_reauth',
      new_user: { user_id: fresh.user_id, provider: 'FITBIT', reference_id: user.id },
      old_user: { user_id: terraUserId, provider: 'FITBIT', reference_id: user.id },
      version: '2022-03-16',
    });
    expect(status).toBe(200);
    await t.drainJobs();
    const [after] = await connectionsOf(t, user.id);
    expect(after.id).toBe(before.id);
    expect(after.terraUserId).toBe(fresh.user_id);
  });

  it('access_revoked marks the connection, emails the user once, and stops its syncs', async () => {
    const { user, client } = await newUser();
    const { terraUserId } = await connectThroughWidget(t, client, 'fitbit');
    await t.drainJobs();
    const revoked = {
      type: 'access_revoked',
      user: { user_id: terraUserId, provider: 'FITBIT' },
      version: '2022-03-16',
    };
    await t.fake.sendWebhook(revoked);
    await t.fake.sendWebhook({ ...revoked, type: 'deauth' });
    await t.drainJobs();
    const listed = (await client.get('/connections').expect(200)).body;
    expect(listed[0]).toMatchObject({ sync_status: 'error', reconnect_required: true });
    const emails = await t.app.get(DataSource).getRepository(EmailOutbox).findBy({ toAddress: user.email });
    expect(emails.filter((e) => e.template === 'tracker_reconnect')).toHaveLength(1);
    await client.post('/connections/fitbit/sync').expect(409);
    t.clock.advance(16 * 60_000);
    const [row] = await connectionsOf(t, user.id);
    await syncService(t).enqueueDue();
    await t.drainJobs();
    const [unchanged] = await connectionsOf(t, user.id);
    expect(unchanged.lastSyncAt).toEqual(row.lastSyncAt);
  });

  it('refusals processed at once email the user once: only the change into reconnect-required sends', async () => {
    const { user, client } = await newUser();
    await connectThroughWidget(t, client, 'fitbit');
    await t.drainJobs();
    const [connection] = await connectionsOf(t, user.id);
    const connections = t.app.get(ConnectionsService);
    await Promise.all(
      Array.from({ length: 8 }, (_, i) => connections.markRefused(connection.id, `refusal ${i}`)),
    );
    const emails = await t.app.get(DataSource).getRepository(EmailOutbox).findBy({ toAddress: user.email });
    expect(emails.filter((e) => e.template === 'tracker_reconnect')).toHaveLength(1);
    const [refused] = await connectionsOf(t, user.id);
    expect(refused).toMatchObject({ syncStatus: 'error', reconnectRequired: true });
  });

  it('webhook signature: missing, wrong, expired or malformed is 401 and stores nothing', async () => {
    const events = () => t.app.get(DataSource).getRepository(TerraWebhookEvent).count();
    const before = await events();
    const body = JSON.stringify({ type: 'deauth', user: { user_id: 'nobody', provider: 'FITBIT' } });
    const now = Math.floor(t.clock.now().getTime() / 1000);
    const post = (signature?: string) => {
      const req = t.http().post('/api/v1/webhooks/terra').set('content-type', 'application/json');
      return (signature === undefined ? req : req.set('terra-signature', signature)).send(body);
    };
    for (const signature of [
      undefined,
      signTerraPayload(body, 'not-the-secret', now),
      signTerraPayload(body, TERRA_TEST.webhookSecret, now - 301),
      `t=${now},v1=zz`,
      'garbage',
    ]) {
      const res = await post(signature).expect(401);
      expect(res.body.detail).toBe('Invalid webhook signature');
    }
    expect(await events()).toBe(before);
    // Good, in the newer header name and among several v1 values.
    const good = signTerraPayload(body, TERRA_TEST.webhookSecret, now);
    await t
      .http()
      .post('/api/v1/webhooks/terra')
      .set('content-type', 'application/json')
      .set('X-Terra-Signature', `${good},v1=${'0'.repeat(64)}`)
      .send(body)
      .expect(200);
    expect(await events()).toBe(before + 1);
  });

  it('a data webhook delivered 10 times pays once; chunks of one delivery reassemble', async () => {
    const { user, client } = await newUser();
    const { terraUserId } = await connectThroughWidget(t, client, 'fitbit');
    await t.drainJobs();
    const ledger = async () =>
      (
        await t.app
          .get(DataSource)
          .query(`SELECT COUNT(*) AS n FROM point_transactions WHERE user_id = '${user.id}'`)
      )[0].n as number | string;
    const workout = {
      metadata: {
        summary_id: `push-${terraUserId}`,
        start_time: `${TODAY}T12:00:00+00:00`,
        end_time: `${TODAY}T12:45:00+00:00`,
        type: 8,
        upload_type: 1,
      },
      active_durations_data: { activity_seconds: 2700, vigorous_intensity_seconds: 2700 },
    };
    const payload = {
      type: 'activity',
      user: { user_id: terraUserId, provider: 'FITBIT' },
      data: [workout],
      version: '2022-03-16',
    };
    const body = JSON.stringify(payload);
    const at = Math.floor(t.clock.now().getTime() / 1000);
    for (let i = 0; i < 10; i++) {
      expect(await t.fake.sendWebhook(body, { timestamp: at + (i % 2) })).toBe(200);
    }
    await t.drainJobs();
    const paid = (await activitiesOf(user.id)).find((a) => a.externalId === `push-${terraUserId}`)!;
    expect(paid.pointsEarned).toBeGreaterThan(0);
    // Stored once (by its body's hash), and paid once: one ledger entry, of its points.
    const stored = await t.app
      .get(DataSource)
      .getRepository(TerraWebhookEvent)
      .countBy({ terraUserId: terraUserId!, eventType: 'activity' });
    expect(stored).toBe(1);
    const payments = await t.app
      .get(DataSource)
      .query(`SELECT amount FROM point_transactions WHERE reference_id = '${paid.id}'`);
    expect(payments.map((p: { amount: number | string }) => Number(p.amount))).toEqual([paid.pointsEarned]);
    const entries = await ledger();
    for (let i = 0; i < 3; i++) await t.fake.sendWebhook(body);
    await t.drainJobs();
    expect(await ledger()).toEqual(entries);

    // 25 workouts on an earlier day, in chunks of 10, 10 and 5 sharing a terra-reference.
    const many = Array.from({ length: 25 }, (_, i) => ({
      ...workout,
      metadata: {
        ...workout.metadata,
        summary_id: `chunk-${i}-${terraUserId}`,
        start_time: `2026-03-09T${String(i % 24).padStart(2, '0')}:00:00+00:00`,
        end_time: `2026-03-09T${String(i % 24).padStart(2, '0')}:30:00+00:00`,
      },
    }));
    for (let i = 0; i < 25; i += 10) {
      const chunk = { ...payload, data: many.slice(i, i + 10) };
      expect(await t.fake.sendWebhook(chunk, { reference: 'one-delivery' })).toBe(200);
    }
    await t.drainJobs();
    const chunked = (await activitiesOf(user.id)).filter((a) => a.externalId.startsWith('chunk-'));
    expect(chunked).toHaveLength(25);
  });
});

describe('TERRA_MODE=fake: Apple Health from the test page', () => {
  let t: TestApp;
  beforeAll(async () => {
    // The in-process fake sends its webhooks to APP_BASE_URL: the app listens there.
    const port = await freePort();
    t = await withEnv({ TERRA_MODE: 'fake', APP_BASE_URL: `http://127.0.0.1:${port}` }, () =>
      createTestApp({ now: NOW }),
    );
    await t.app.listen(port, '127.0.0.1');
  });
  afterAll(() => t.close());

  it('hands the SDK token to the fake Terra as the mobile SDK would; its auth webhook connects Apple Health', async () => {
    const user = await createUser(t);
    const client = asUser(t, user);
    const { sdk_token } = (await client.post('/connections/apple_health/initiate').expect(200)).body;
    const accepted = await client
      .post('/connections/apple_health/fake-sdk-connect')
      .send({ sdk_token })
      .expect(202);
    expect(accepted.body).toEqual({ message: 'Apple Health is connecting' });
    await t.app.get(TerraRuntime).fake!.idle();
    await t.drainJobs();
    expect(await connectionsOf(t, user.id)).toEqual([
      expect.objectContaining({ provider: 'apple_health', isPrimary: true }),
    ]);
    // The token is single use, like the SDK's.
    const again = await client
      .post('/connections/apple_health/fake-sdk-connect')
      .send({ sdk_token })
      .expect(400);
    expect(again.body.detail).toBe('Invalid or expired SDK token');
    await client.post('/connections/apple_health/fake-sdk-connect').send({ sdk_token: '' }).expect(422);
    await t.http().post('/api/v1/connections/apple_health/fake-sdk-connect').send({ sdk_token }).expect(401);
  });
});
