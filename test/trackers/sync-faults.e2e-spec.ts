import { DataSource } from 'typeorm';
import { QueuePort } from '@fittrack/core';
import { EmailOutbox } from '@fittrack/notifications';
import { SchedulerTicks } from '@fittrack/scheduler';
import { Activity } from '@fittrack/trackers';
import { createUser } from '../api/fixtures';
import { asUser } from '../support/api-client';
import { connectionsOf, connectThroughWidget, createTerraTestApp, type TerraTestApp } from './helpers';

const NOW = '2026-03-10T15:00:00Z';

describe(`sync faults against the fake Terra (${process.env.TEST_DB === 'postgres' ? 'PostgreSQL' : 'SQLite'})`, () => {
  let t: TerraTestApp;
  beforeAll(async () => {
    t = await createTerraTestApp({ now: NOW, env: { TERRA_TIMEOUT_MS: '1500' } });
  });
  afterAll(() => t.close());

  /** A user with a synced fitbit connection; the fake's call counters reset. */
  async function connected() {
    const user = await createUser(t);
    const client = asUser(t, user);
    const { terraUserId } = await connectThroughWidget(t, client, 'fitbit');
    await t.drainJobs();
    const [connection] = await connectionsOf(t, user.id);
    expect(connection.syncStatus).toBe('ok');
    t.fake.calls.clear();
    return { user, client, terraUserId: terraUserId!, connection };
  }

  const activities = (userId: string) => t.app.get(DataSource).getRepository(Activity).findBy({ userId });

  /** Runs one due-connection sync through the tick, for the connections of this test only. */
  async function syncNow(client: ReturnType<typeof asUser>) {
    t.clock.advance(6 * 60_000); // past the manual-sync limit
    await client.post('/connections/fitbit/sync').expect(202);
    await t.drainJobs();
  }

  it('Terra 503 twice, then recovers: retried with backoff, nothing lost, status back to ok', async () => {
    const { user, client, terraUserId } = await connected();
    const before = (await activities(user.id)).length;
    t.fake.injectFaults('/daily', [{ status: 503 }, { status: 503 }]);
    await syncNow(client);
    expect(t.fake.callsFor(terraUserId, '/daily')).toBe(3);
    const [connection] = await connectionsOf(t, user.id);
    expect(connection.syncStatus).toBe('ok');
    expect(connection.lastError).toBeNull();
    expect((await activities(user.id)).length).toBeGreaterThanOrEqual(before);
  });

  it('Terra 503 on every attempt: 3 attempts, then status error with the reason, until the next cycle', async () => {
    const { user, client, terraUserId } = await connected();
    t.fake.injectFaults('/daily', [{ status: 503 }, { status: 503 }, { status: 503 }]);
    await syncNow(client);
    expect(t.fake.callsFor(terraUserId, '/daily')).toBe(3);
    const [connection] = await connectionsOf(t, user.id);
    expect(connection.syncStatus).toBe('error');
    expect(connection.lastError).toContain('503');
    expect(connection.reconnectRequired).toBe(false);
  });

  it('timeouts and malformed answers are retried like 5xx', async () => {
    const { user, client, terraUserId } = await connected();
    t.fake.injectFaults('/activity', [{ delayMs: 2500 }, { malformed: true }]);
    await syncNow(client);
    expect(t.fake.callsFor(terraUserId, '/activity')).toBe(3);
    const [connection] = await connectionsOf(t, user.id);
    expect(connection.syncStatus).toBe('ok');
  });

  it('429 with Retry-After defers the sync by that long instead of spending retries', async () => {
    const { user, client, terraUserId } = await connected();
    t.fake.injectFaults('/daily', [{ status: 429, retryAfterSeconds: 1 }]);
    await syncNow(client);
    expect(t.fake.callsFor(terraUserId, '/daily')).toBe(2);
    const [connection] = await connectionsOf(t, user.id);
    expect(connection.syncStatus).toBe('ok');
  });

  it('Terra 401 for a revoked user: marked, one reconnect email, no retries and no further syncs', async () => {
    const { user, client, terraUserId } = await connected();
    t.fake.revoke(terraUserId);
    await syncNow(client);
    expect(t.fake.callsFor(terraUserId, '/daily')).toBe(1);
    const [connection] = await connectionsOf(t, user.id);
    expect(connection).toMatchObject({ syncStatus: 'error', reconnectRequired: true });
    const emails = await t.app.get(DataSource).getRepository(EmailOutbox).findBy({ toAddress: user.email });
    expect(emails.filter((e) => e.template === 'tracker_reconnect')).toHaveLength(1);
    // The tick leaves it alone.
    t.clock.advance(16 * 60_000);
    await t.app
      .get(SchedulerTicks)
      .ticks()
      .find((tick) => tick.name === 'terra-sync')!
      .run();
    await t.drainJobs();
    expect(t.fake.callsFor(terraUserId, '/daily')).toBe(1);
    // Reconnecting through the widget clears it.
    await connectThroughWidget(t, client, 'fitbit');
    await t.drainJobs();
    const [back] = await connectionsOf(t, user.id);
    expect(back).toMatchObject({ syncStatus: 'ok', reconnectRequired: false });
  });

  it('two scheduler instances ticking at the same moment enqueue one job per due connection', async () => {
    const { connection, terraUserId } = await connected();
    t.clock.advance(16 * 60_000);
    const queue = t.app.get(QueuePort);
    const enqueued: string[] = [];
    const enqueue = queue.enqueue.bind(queue);
    const spy = jest.spyOn(queue, 'enqueue').mockImplementation(async (job, data, options) => {
      if (options?.jobId?.startsWith(`sync:${connection.id}:`)) enqueued.push(options.jobId);
      return enqueue(job, data, options);
    });
    const tick = t.app
      .get(SchedulerTicks)
      .ticks()
      .find((candidate) => candidate.name === 'terra-sync')!;
    await Promise.all([tick.run(), tick.run()]);
    await t.drainJobs();
    spy.mockRestore();
    // Both ticks asked with the same deterministic id; the queue ran it once.
    expect(enqueued).toHaveLength(2);
    expect(new Set(enqueued).size).toBe(1);
    expect(t.fake.callsFor(terraUserId, '/daily')).toBe(1);
    const [after] = await connectionsOf(t, connection.userId);
    expect(new Date(after.lastSyncAt!).getTime()).toBeGreaterThan(new Date(connection.lastSyncAt!).getTime());
  });
});
