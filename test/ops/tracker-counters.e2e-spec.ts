import { createUser } from '../api/fixtures';
import { asUser } from '../support/api-client';
import {
  connectionsOf,
  connectThroughWidget,
  createTerraTestApp,
  type TerraTestApp,
} from '../trackers/helpers';

/** One sample of a counter from the exposition text (0 when absent). */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && want.every((w) => l.includes(w)));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

describe('tracker counters: webhooks_total and syncs_total', () => {
  let t: TerraTestApp;
  beforeAll(async () => {
    t = await createTerraTestApp({ now: '2026-03-10T15:00:00Z' });
  });
  afterAll(() => t.close());

  /** The counters' values now, read over HTTP from /metrics as Prometheus would. */
  async function counters() {
    const text = (await t.http().get('/metrics').expect(200)).text;
    return {
      received: sample(text, 'webhooks_total', { provider: 'terra', outcome: 'received' }),
      refused: sample(text, 'webhooks_total', { provider: 'terra', outcome: 'refused' }),
      succeeded: sample(text, 'syncs_total', { provider: 'fitbit', outcome: 'succeeded' }),
      retried: sample(text, 'syncs_total', { provider: 'fitbit', outcome: 'retried' }),
      failed: sample(text, 'syncs_total', { provider: 'fitbit', outcome: 'failed' }),
    };
  }

  it('counts webhooks received and refused', async () => {
    const before = await counters();
    expect(await t.fake.sendWebhook({ type: 'healthcheck' })).toBe(200);
    expect(await t.fake.sendWebhook({ type: 'healthcheck' }, { signature: 't=1,v1=00' })).toBe(401);
    expect(await t.fake.sendWebhook('not json')).toBe(400);
    await t.drainJobs();
    const after = await counters();
    expect(after.received - before.received).toBe(1);
    expect(after.refused - before.refused).toBe(2);
  });

  it('counts syncs by outcome: succeeded, retried (queue backoff), failed (permanent or last attempt)', async () => {
    const user = await createUser(t);
    const client = asUser(t, user);
    const before = await counters();
    // Connecting runs a first sync (and Terra's auth webhook is received).
    await connectThroughWidget(t, client, 'fitbit');
    await t.drainJobs();
    const [connection] = await connectionsOf(t, user.id);
    expect(connection.syncStatus).toBe('ok');
    let now = await counters();
    expect(now.succeeded - before.succeeded).toBe(1);
    expect(now.received - before.received).toBeGreaterThanOrEqual(1);

    const sync = async () => {
      t.clock.advance(6 * 60_000); // past the manual-sync limit
      await client.post('/connections/fitbit/sync').expect(202);
      await t.drainJobs();
    };
    // 503 twice, then it answers: two retried attempts and one success.
    t.fake.injectFaults('/daily', [{ status: 503 }, { status: 503 }]);
    await sync();
    const afterRetries = await counters();
    expect(afterRetries.retried - now.retried).toBe(2);
    expect(afterRetries.succeeded - now.succeeded).toBe(1);
    expect(afterRetries.failed - now.failed).toBe(0);
    now = afterRetries;

    // 503 on every attempt: two retried, the last one failed.
    t.fake.injectFaults('/daily', [{ status: 503 }, { status: 503 }, { status: 503 }]);
    await sync();
    const afterFailure = await counters();
    expect(afterFailure.retried - now.retried).toBe(2);
    expect(afterFailure.failed - now.failed).toBe(1);
    expect(afterFailure.succeeded - now.succeeded).toBe(0);
    now = afterFailure;

    // A permanent answer (400) fails at once.
    t.fake.injectFaults('/daily', [{ status: 400 }]);
    await sync();
    const afterPermanent = await counters();
    expect(afterPermanent.failed - now.failed).toBe(1);
    expect(afterPermanent.retried - now.retried).toBe(0);
  });
});
