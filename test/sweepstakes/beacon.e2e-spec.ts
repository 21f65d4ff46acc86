import { createHash } from 'node:crypto';
import { parseConfig } from '@fittrack/core';
import { SchedulerTicks } from '@fittrack/scheduler';
import { roundAt, roundTime, verifyRound } from '../../libs/sweepstakes/src/draw/beacon';
import { type ApiClient, apiClient, asAdmin, asUser } from '../support/api-client';
import { createTestApp, type TestApp, withEnv } from '../support/test-app';
import { type FakeBeacon, startFakeBeacon } from './fake-beacon';
import { createDrawing, memberWithPoints, recompute } from './support';

/**
 * The drand beacon at the draw (fair-draw.md): the round published at scheduling, fetched from a fake
 * beacon server (its own key, pinned through the environment) and verified at the draw; before the round
 * exists the drawing waits (admin: 409), and a round that does not verify is never used.
 */
describe('the draw with a beacon', () => {
  let t: TestApp;
  let admin: ApiClient;
  let beacon: FakeBeacon;
  const chain = () => parseConfig(beacon.env).beacon;

  beforeAll(async () => {
    const clock = { now: () => new Date('2026-01-16T12:00:00Z') };
    beacon = await startFakeBeacon(() => (t ? t.clock.now() : clock.now()));
    t = await withEnv(beacon.env, () => createTestApp({ now: clock.now() }));
    admin = await asAdmin(t);
  });
  afterAll(async () => {
    await t.close();
    await beacon.close();
  });

  const tick = async () => {
    await t.app.get(SchedulerTicks).dueDrawings();
    await t.drainJobs();
  };

  /** An open drawing with tickets of three members, closed by the admin. */
  const closedDrawing = async () => {
    const drawing = await createDrawing(t, admin, 'open', {
      prizes: [
        { rank: 1, name: 'Watch', value_usd: 250, fulfillment_type: 'physical' },
        { rank: 2, name: 'Card', value_usd: 50, fulfillment_type: 'digital', digital_code: 'C-2' },
      ],
    });
    for (const [i, user] of (await Promise.all([0, 1, 2].map(() => memberWithPoints(t, 1000)))).entries()) {
      await asUser(t, user)
        .post(`/drawings/${drawing.id}/tickets`)
        .send({ quantity: i + 1 })
        .expect(201);
    }
    await admin.put(`/admin/drawings/${drawing.id}`).send({ status: 'closed' }).expect(200);
    return drawing as { id: string; drawing_time: string; beacon_round: string };
  };

  it('publishes the round at scheduling, waits for it, then draws with the verified round', async () => {
    t.clock.set('2026-01-16T12:00:00Z');
    const drawing = await closedDrawing();
    const round = roundAt(new Date(drawing.drawing_time), chain());
    expect(drawing.beacon_round).toBe(String(round));
    const before = (await apiClient(t).get(`/drawings/${drawing.id}/verify`).expect(200)).body;
    expect(before.beacon).toEqual({
      source: 'drand',
      chain_hash: beacon.env.BEACON_CHAIN_HASH,
      round,
      randomness: null,
      signature: null,
    });

    // Before the round is emitted: the admin gets 409 with the time; the tick leaves it closed.
    const refused = await admin.post(`/admin/drawings/${drawing.id}/execute`).expect(409);
    expect(refused.body.detail).toBe(
      `Beacon round not yet available: round ${round} is emitted at ${roundTime(round, chain()).toISOString()}`,
    );
    t.clock.set(new Date(new Date(drawing.drawing_time).getTime() - 1000));
    await tick();
    expect((await admin.get(`/drawings/${drawing.id}`).expect(200)).body.status).toBe('closed');
    expect(beacon.requests).not.toContain(round); // nothing asked before its time

    // Emitted: the next tick fetches, verifies and draws.
    t.clock.set(new Date(roundTime(round, chain()).getTime() + 500));
    await tick();
    const verify = (await apiClient(t).get(`/drawings/${drawing.id}/verify`).expect(200)).body;
    expect(verify.status).toBe('completed');
    expect(beacon.requests).toContain(round);
    // An outsider's checks: randomness = SHA-256(signature), the signature verifies against the pinned
    // key, and the winners follow from seed, beacon and ticket list.
    expect(verify.beacon.randomness).toBe(
      createHash('sha256').update(Buffer.from(verify.beacon.signature, 'hex')).digest('hex'),
    );
    expect(await verifyRound(chain(), { round, ...verify.beacon }, round)).toBe(true);
    const csv = (await apiClient(t).get(`/drawings/${drawing.id}/ticket-list`).expect(200)).text;
    expect(recompute(verify, csv)).toEqual(verify.winners);
    expect(verify.winners).toHaveLength(2);
  });

  it('moving drawing_time while scheduled moves the published round; once open, times are fixed', async () => {
    t.clock.set('2026-01-16T12:00:00Z');
    const drawing = await createDrawing(t, admin, 'scheduled');
    const later = new Date(new Date(drawing.drawing_time as string).getTime() + 3_600_000).toISOString();
    const moved = (await admin.put(`/admin/drawings/${drawing.id}`).send({ drawing_time: later }).expect(200))
      .body;
    expect(moved.beacon_round).toBe(String(roundAt(new Date(later), chain())));
    expect(moved.beacon_round).not.toBe(drawing.beacon_round);
    await admin.put(`/admin/drawings/${drawing.id}`).send({ status: 'open' }).expect(200);
    await admin.put(`/admin/drawings/${drawing.id}`).send({ drawing_time: later }).expect(409);
  });

  it('a round that fails verification is never used: 503, the drawing stays closed', async () => {
    t.clock.set('2026-01-16T12:00:00Z');
    const drawing = await closedDrawing();
    t.clock.set(new Date(new Date(drawing.drawing_time).getTime() + 10_000));
    beacon.tamper();
    const refused = await admin.post(`/admin/drawings/${drawing.id}/execute`).expect(503);
    expect(refused.body.detail).toMatch(/failed verification against the pinned chain/);
    await tick();
    const after = (await apiClient(t).get(`/drawings/${drawing.id}/verify`).expect(200)).body;
    expect(after).toMatchObject({ status: 'closed', seed: null, winners: [] });
  });
});
