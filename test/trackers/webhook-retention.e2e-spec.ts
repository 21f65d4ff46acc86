import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { JobName, QueuePort } from '@fittrack/core';
import { SchedulerTicks } from '@fittrack/scheduler';
import { signTerraPayload, TerraWebhookEvent } from '@fittrack/trackers';
import { type IsolatedDatabase, isolatedDatabase } from '../support/isolated-database';
import { createTerraTestApp, TERRA_TEST, type TerraTestApp } from './helpers';

const DAY = 86_400_000;

/**
 * Retention of terra_webhook_events (WEBHOOK_EVENT_RETENTION_DAYS, default 30): the daily tick's job
 * deletes processed and ignored events received more than 30 days ago, in batches, and keeps `received`
 * ones and recent ones. A deleted event's replay is still refused: its signature is too old by then.
 * Signed deliveries over HTTP, the clock moved by the test; SQLite, or PostgreSQL with TEST_DB=postgres.
 */
describe('webhook event retention', () => {
  let t: TerraTestApp;
  // The purge and these counts span the whole table: on PostgreSQL, a database of its own.
  let database: IsolatedDatabase;
  const events = () => t.app.get(DataSource).getRepository(TerraWebhookEvent);

  beforeAll(async () => {
    database = await isolatedDatabase('retention');
    t = await createTerraTestApp({ now: '2026-03-02T12:00:00Z', env: database.env });
    t.clock.freeze();
  });

  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });

  /** A signed delivery of `event` at the clock's time; answers the HTTP status. */
  async function deliver(body: string, signedAt = t.clock.now()): Promise<number> {
    const signature = signTerraPayload(body, TERRA_TEST.webhookSecret, Math.floor(signedAt.getTime() / 1000));
    const res = await t
      .http()
      .post('/api/v1/webhooks/terra')
      .set('content-type', 'application/json')
      .set('terra-signature', signature)
      .send(body);
    return res.status;
  }

  const statusOf = async (body: string) => {
    const rows = await events().find({ where: { eventType: (JSON.parse(body) as { type: string }).type } });
    return rows.map((row) => row.status);
  };

  async function runTick(): Promise<void> {
    await t.app
      .get(SchedulerTicks)
      .ticks()
      .find((tick) => tick.name === 'webhook-retention')!
      .run();
    await t.drainJobs();
  }

  it('deletes processed and ignored events past 30 days in batches, keeps received and recent ones', async () => {
    const received = t.clock.now();
    // Processed (a deauth for nobody does nothing, but is handled) and ignored (an unknown type).
    const processed = JSON.stringify({ type: 'deauth', user: { user_id: `old-${randomUUID()}` } });
    const ignored = JSON.stringify({ type: 'old-unknown', nonce: randomUUID() });
    expect(await deliver(processed)).toBe(200);
    expect(await deliver(ignored)).toBe(200);
    await t.drainJobs();
    expect(await statusOf(processed)).toEqual(['processed']);
    expect(await statusOf(ignored)).toEqual(['ignored']);
    // More finished old events than one batch (500), and one whose job has not run yet.
    const filler = Array.from({ length: 1_100 }, (_, i) => ({
      id: randomUUID(),
      bodyHash: randomUUID()
        .replace(/-/g, '')
        .padEnd(64, String(i % 10)),
      eventType: 'old-filler',
      status: i % 2 ? 'processed' : 'ignored',
      payload: null,
      processedAt: received,
      createdAt: received,
    }));
    for (let i = 0; i < filler.length; i += 100) {
      await events().insert(filler.slice(i, i + 100) as TerraWebhookEvent[]);
    }
    await events().insert({
      id: randomUUID(),
      createdAt: received,
      bodyHash: 'f'.repeat(64),
      eventType: 'old-pending',
      payload: '{"type":"old-pending"}',
      status: 'received',
    });

    // 29 days later: nothing is old enough; a recent delivery arrives.
    t.clock.advance(29 * DAY);
    await runTick();
    expect(await events().count({ where: { eventType: 'old-filler' } })).toBe(1_100);
    const recent = JSON.stringify({ type: 'new-unknown', nonce: randomUUID() });
    expect(await deliver(recent)).toBe(200);
    await t.drainJobs();

    // 30 days and a minute after the old ones: they go, the pending one and the recent one stay.
    t.clock.advance(DAY + 60_000);
    await runTick();
    expect(await events().count({ where: { eventType: 'old-filler' } })).toBe(0);
    expect(await statusOf(processed)).toEqual([]);
    expect(await statusOf(ignored)).toEqual([]);
    expect(await statusOf(JSON.stringify({ type: 'old-pending' }))).toEqual(['received']);
    expect(await statusOf(recent)).toEqual(['ignored']);

    // The deleted deliveries' replays (their original signatures) are refused by the signature's age,
    // and store nothing; the recent one's replay by its stored hash (200, stored once, no new job).
    expect(await deliver(processed, received)).toBe(401);
    expect(await deliver(ignored, received)).toBe(401);
    expect(await statusOf(processed)).toEqual([]);
    expect(await deliver(recent)).toBe(200);
    expect(await statusOf(recent)).toEqual(['ignored']);
  });

  it('two ticks on the same day (two workers) ask for one job: its id is the competition day', async () => {
    const queue = t.app.get(QueuePort);
    const spy = jest.spyOn(queue, 'enqueue');
    await Promise.all([runTick(), runTick()]);
    const ids = spy.mock.calls
      .filter(([job]) => job === JobName.PurgeWebhookEvents)
      .map(([, , o]) => o?.jobId);
    spy.mockRestore();
    expect(ids).toEqual(['webhook-retention:2026-04-01', 'webhook-retention:2026-04-01']);
  });
});
