import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { JobName, QueuePort, ServiceUnavailableError, sha256Hex } from '@fittrack/core';
import { SchedulerTicks } from '@fittrack/scheduler';
import { signTerraPayload, TerraWebhookEvent } from '@fittrack/trackers';
import { type IsolatedDatabase, isolatedDatabase } from '../support/isolated-database';
import { createTerraTestApp, TERRA_TEST, type TerraTestApp } from './helpers';

const MINUTE = 60_000;

/**
 * A webhook event whose processing job was lost stays `received`: its job was held in memory while Redis
 * was down and the process died, or the enqueue failed (503). Terra's retry of such a delivery queues it;
 * and the webhook-recovery tick queues every event still `received` 10 minutes after it arrived, under
 * the event's own job id, leaving younger ones alone (their job may still be waiting in a backlog).
 */
describe('stranded webhook events', () => {
  let t: TerraTestApp;
  // The tick reads the whole table: on PostgreSQL, a database of its own.
  let database: IsolatedDatabase;
  const events = () => t.app.get(DataSource).getRepository(TerraWebhookEvent);

  beforeAll(async () => {
    database = await isolatedDatabase('recovery');
    t = await createTerraTestApp({ now: '2026-03-02T12:00:00Z', env: database.env });
    t.clock.freeze();
  });

  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });

  /** An event stored as the webhook stores it, `ageMs` ago, whose job never ran. */
  async function strandedEvent(ageMs: number): Promise<string> {
    // A deauth for nobody: handled (processed) without changing anything.
    const payload = JSON.stringify({ type: 'deauth', user: { user_id: `gone-${randomUUID()}` } });
    const id = randomUUID();
    await events().insert({
      id,
      bodyHash: sha256Hex(Buffer.from(payload)),
      eventType: 'deauth',
      payload,
      status: 'received',
      createdAt: new Date(t.clock.now().getTime() - ageMs),
    });
    return id;
  }

  const statusOf = async (id: string) => (await events().findOneByOrFail({ id })).status;

  async function recoveryTick(): Promise<Array<string | undefined>> {
    const spy = jest.spyOn(t.app.get(QueuePort), 'enqueue');
    try {
      await t.app
        .get(SchedulerTicks)
        .ticks()
        .find((tick) => tick.name === 'webhook-recovery')!
        .run();
      await t.drainJobs();
      return spy.mock.calls.filter(([job]) => job === JobName.ProcessTerraWebhook).map(([, , o]) => o?.jobId);
    } finally {
      spy.mockRestore();
    }
  }

  it('queues an event still received after 10 minutes again, under its own job id, and leaves a younger one', async () => {
    const stranded = await strandedEvent(11 * MINUTE);
    const young = await strandedEvent(9 * MINUTE);

    expect(await recoveryTick()).toEqual([`terra-webhook:${stranded}`]);
    expect(await statusOf(stranded)).toBe('processed');
    expect(await statusOf(young)).toBe('received');

    // Processed events are not queued again; the younger one is, once it is old enough.
    t.clock.advance(2 * MINUTE);
    expect(await recoveryTick()).toEqual([`terra-webhook:${young}`]);
    expect(await statusOf(young)).toBe('processed');
    expect(await recoveryTick()).toEqual([]);
  });

  it("Terra's retry of a delivery whose job could not be queued (503) queues it", async () => {
    const body = JSON.stringify({ type: 'deauth', user: { user_id: `gone-${randomUUID()}` } });
    const deliver = () =>
      t
        .http()
        .post('/api/v1/webhooks/terra')
        .set('content-type', 'application/json')
        .set(
          'terra-signature',
          signTerraPayload(body, TERRA_TEST.webhookSecret, Math.floor(t.clock.now().getTime() / 1000)),
        )
        .send(body);
    const queue = t.app.get(QueuePort);
    const refuse = jest
      .spyOn(queue, 'enqueue')
      .mockRejectedValueOnce(new ServiceUnavailableError('Background work cannot be queued right now'));
    try {
      expect((await deliver()).status).toBe(503);
    } finally {
      refuse.mockRestore();
    }
    const [stored] = await events().findBy({ bodyHash: sha256Hex(Buffer.from(body)) });
    expect(stored.status).toBe('received');

    expect((await deliver()).status).toBe(200);
    await t.drainJobs();
    expect(await statusOf(stored.id)).toBe('processed');
    // A later retry of the processed delivery queues nothing.
    const spy = jest.spyOn(queue, 'enqueue');
    try {
      expect((await deliver()).status).toBe(200);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });
});
