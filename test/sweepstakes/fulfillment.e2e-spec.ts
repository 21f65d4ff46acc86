import { randomUUID } from 'node:crypto';
import { FulfillmentService, PrizeFulfillment } from '@fittrack/fulfillment';
import { EmailOutbox } from '@fittrack/notifications';
import { DrawingExecutionService } from '@fittrack/sweepstakes';
import type { User } from '@fittrack/users';
import { type ApiClient, asAdmin, asUser } from '../support/api-client';
import { createTestApp, type TestApp } from '../support/test-app';
import { dataSource } from '../api/fixtures';
import { createDrawing, memberWithPoints } from './support';

const DAY = 86_400_000;
const ADDRESS = {
  name: 'Alex Rivera',
  line1: '123 Main St',
  city: 'Springfield',
  state: 'il',
  postal_code: '62704-1234',
};

describe('prize fulfillment, sponsors and compliance', () => {
  let t: TestApp;
  let admin: ApiClient;

  beforeAll(async () => {
    t = await createTestApp({ now: '2026-01-16T12:00:00Z' });
    admin = await asAdmin(t);
  });
  afterAll(() => t.close());

  const emailsTo = (to: string, template?: string) =>
    dataSource(t)
      .getRepository(EmailOutbox)
      .find({ where: { toAddress: to, ...(template ? { template } : {}) }, order: { createdAt: 'ASC' } });

  /** An open drawing with these prizes, each user buying `quantity` tickets, closed and executed. */
  async function drawn(prizes: object[], users: User[], quantity = 2) {
    const drawing = await createDrawing(t, admin, 'open', { prizes });
    for (const user of users) {
      await asUser(t, user).post(`/drawings/${drawing.id}/tickets`).send({ quantity }).expect(201);
    }
    await admin.put(`/admin/drawings/${drawing.id}`).send({ status: 'closed' }).expect(200);
    await admin.post(`/admin/drawings/${drawing.id}/execute`).expect(200);
    const all = (await admin.get('/admin/fulfillments?per_page=100').expect(200)).body.data as Array<{
      id: string;
      drawing_id: string;
      user_id: string;
      prize_rank: number;
      status: string;
    }>;
    return { drawing, fulfillments: all.filter((f) => f.drawing_id === drawing.id) };
  }

  const owner = (users: User[], id: string) => users.find((u) => u.id === id)!;

  it('winners are emailed (claim link / digital code); the address is validated, sealed at rest, admins emailed; W-9 gates shipping; ship, deliver; every admin action audited', async () => {
    const users = await Promise.all([0, 1, 2].map(() => memberWithPoints(t, 1000)));
    const { fulfillments } = await drawn(
      [
        { rank: 1, name: 'E-bike', value_usd: 2500, fulfillment_type: 'physical' },
        { rank: 2, name: 'Gift Card', value_usd: 50, fulfillment_type: 'digital', digital_code: 'GC-777' },
      ],
      users,
    );
    expect(fulfillments).toHaveLength(2);
    const physical = fulfillments.find((f) => f.prize_rank === 1)!;
    const digital = fulfillments.find((f) => f.prize_rank === 2)!;
    expect(physical.status).toBe('winner_notified');
    expect(digital.status).toBe('delivered');
    const winner = owner(users, physical.user_id);
    const won = await emailsTo(winner.email, 'prize_won');
    expect(won).toHaveLength(1);
    expect(won[0].bodyText).toContain(`/test/#drawings?fulfillment=${physical.id}`);
    const code = await emailsTo(owner(users, digital.user_id).email, 'prize_digital');
    expect(code).toHaveLength(1);
    expect(code[0].bodyText).toContain('GC-777');

    const mine = (await asUser(t, winner).get('/fulfillments').expect(200)).body.data;
    expect(mine.map((f: { id: string }) => f.id)).toEqual([physical.id]);
    expect(mine[0]).toMatchObject({ prize_name: 'E-bike', prize_value_usd: 2500, shipping_address: null });
    expect(mine[0].claim_deadline).toBe(
      new Date(new Date(mine[0].notified_at).getTime() + 14 * DAY).toISOString(),
    );
    const stranger = users.find((u) => u.id !== winner.id)!;
    await asUser(t, stranger).put(`/fulfillments/${physical.id}/address`).send(ADDRESS).expect(404);
    await asUser(t, stranger).get(`/fulfillments/${physical.id}`).expect(404);

    const bad = await asUser(t, winner)
      .put(`/fulfillments/${physical.id}/address`)
      .send({ ...ADDRESS, postal_code: '1234', state: 'XX' })
      .expect(422);
    expect(bad.body.detail).toBe('Invalid fields: state, postal_code');
    expect(bad.body.errors.map((e: { message: string }) => e.message)).toEqual(
      expect.arrayContaining([
        'state must be a US state code (50 states + DC)',
        'postal_code must be a US ZIP code (12345 or 12345-6789)',
      ]),
    );
    expect(bad.headers['content-type']).toMatch(/problem\+json/);

    const confirmed = (
      await asUser(t, winner).put(`/fulfillments/${physical.id}/address`).send(ADDRESS).expect(200)
    ).body;
    expect(confirmed.status).toBe('address_confirmed');
    expect(confirmed.shipping_address).toEqual({ ...ADDRESS, state: 'IL' });
    const raw = await dataSource(t).getRepository(PrizeFulfillment).findOneByOrFail({ id: physical.id });
    expect(JSON.stringify(raw.shippingAddress)).not.toContain('Main St');
    expect(raw.shippingAddress).toMatchObject({ keyId: expect.any(String), value: expect.any(String) });
    const adminEmails = await dataSource(t)
      .getRepository(EmailOutbox)
      .findBy({ template: 'prize_address_confirmed' });
    expect(adminEmails.length).toBeGreaterThan(0);
    expect(
      (await asUser(t, winner).put(`/fulfillments/${physical.id}/address`).send(ADDRESS).expect(409)).body
        .detail,
    ).toBe('Cannot confirm an address for a prize that is address_confirmed');

    // $2,500 this year: reportable, so the physical prize waits for the W-9.
    const ship = { carrier: 'UPS', tracking_number: '1Z999AA10123456784' };
    const blocked = await admin.post(`/admin/fulfillments/${physical.id}/ship`).send(ship).expect(409);
    expect(blocked.body.detail).toBe('W-9 required before shipping');
    await admin.post(`/admin/fulfillments/${digital.id}/ship`).send(ship).expect(409);
    await admin.put(`/admin/fulfillments/${physical.id}/w9`).send({ received: false }).expect(422);
    const w9 = (await admin.put(`/admin/fulfillments/${physical.id}/w9`).send({ received: true }).expect(200))
      .body;
    expect(w9.w9_received_at).not.toBeNull();
    await asUser(t, winner).put(`/admin/fulfillments/${physical.id}/w9`).send({ received: true }).expect(403);

    await admin.put(`/admin/fulfillments/${physical.id}`).send({ status: 'delivered' }).expect(409);
    await admin.put(`/admin/fulfillments/${physical.id}`).send({ status: 'shipped' }).expect(409);
    const shipped = (await admin.post(`/admin/fulfillments/${physical.id}/ship`).send(ship).expect(200)).body;
    expect(shipped).toMatchObject({
      status: 'shipped',
      carrier: 'UPS',
      tracking_number: '1Z999AA10123456784',
    });
    expect(await emailsTo(winner.email, 'prize_shipped')).toHaveLength(1);
    await admin.post(`/admin/fulfillments/${physical.id}/ship`).send(ship).expect(409);
    const delivered = (
      await admin
        .put(`/admin/fulfillments/${physical.id}`)
        .send({ status: 'delivered', notes: 'Signed for' })
        .expect(200)
    ).body;
    expect(delivered).toMatchObject({ status: 'delivered', notes: 'Signed for' });

    const listed = (await admin.get('/admin/fulfillments?filter[status]=delivered&per_page=100').expect(200))
      .body.data;
    expect(listed.every((f: { status: string }) => f.status === 'delivered')).toBe(true);
    expect(listed.map((f: { id: string }) => f.id)).toEqual(
      expect.arrayContaining([physical.id, digital.id]),
    );
    await admin.get('/admin/fulfillments?filter[status]=lost').expect(422);

    const log = (await admin.get('/admin/audit-log?per_page=100').expect(200)).body.data.filter(
      (entry: { entity_id: string }) => entry.entity_id === physical.id,
    );
    expect(log.map((entry: { action: string }) => entry.action).reverse()).toEqual([
      'fulfillment.w9',
      'fulfillment.ship',
      'fulfillment.update',
    ]);
    expect(JSON.stringify(log)).not.toContain('Main St');
  });

  it('7-day reminder once, 14-day forfeit once (moved clock); a re-draw continues the verifiable sequence and is emailed; again 409', async () => {
    const users = await Promise.all([0, 1, 2].map(() => memberWithPoints(t, 1000)));
    const { drawing, fulfillments } = await drawn(
      [{ rank: 1, name: 'Watch', value_usd: 250, fulfillment_type: 'physical' }],
      users,
    );
    const [first] = fulfillments;
    const winner = owner(users, first.user_id);
    await admin.post(`/admin/fulfillments/${first.id}/redraw`).expect(409);
    const service = t.app.get(FulfillmentService);
    const start = t.clock.now().getTime();

    t.clock.set(new Date(start + 7 * DAY + 60_000));
    await service.processDeadlines();
    await Promise.all([service.processDeadlines(), service.processDeadlines()]);
    expect(await emailsTo(winner.email, 'prize_reminder')).toHaveLength(1);
    expect((await asUser(t, winner).get(`/fulfillments/${first.id}`).expect(200)).body.status).toBe(
      'winner_notified',
    );

    t.clock.set(new Date(start + 14 * DAY + 60_000));
    await Promise.all([service.processDeadlines(), service.processDeadlines()]);
    await service.processDeadlines();
    expect(await emailsTo(winner.email, 'prize_forfeited')).toHaveLength(1);
    const forfeited = (await asUser(t, winner).get(`/fulfillments/${first.id}`).expect(200)).body;
    expect(forfeited.status).toBe('forfeited');
    await asUser(t, winner).put(`/fulfillments/${first.id}/address`).send(ADDRESS).expect(409);

    const alternate = (await admin.post(`/admin/fulfillments/${first.id}/redraw`).expect(201)).body;
    expect(alternate.status).toBe('winner_notified');
    expect(alternate.user_id).not.toBe(winner.id);
    expect(await emailsTo(owner(users, alternate.user_id).email, 'prize_won')).toHaveLength(1);
    expect((await admin.post(`/admin/fulfillments/${first.id}/redraw`).expect(409)).body.detail).toBe(
      'Prize already re-drawn',
    );

    const verify = (await admin.get(`/drawings/${drawing.id}/verify`).expect(200)).body;
    expect(verify.redraws).toEqual([
      {
        prize_rank: 1,
        ticket_number: expect.any(Number),
        user_id: alternate.user_id,
        replaces_ticket: expect.any(Number),
      },
    ]);
    const checks = await t.app.get(DrawingExecutionService).recheck(drawing.id);
    expect(checks.map((c) => c.check)).toContain('redraw rank 1');
    expect(checks.every((c) => c.ok)).toBe(true);
    const results = (await asUser(t, users[0]).get(`/drawings/${drawing.id}/results`).expect(200)).body;
    expect(results.winners[0].user_id).toBe(alternate.user_id);
    const actions = (await admin.get('/admin/audit-log?per_page=100').expect(200)).body.data
      .filter((entry: { entity_id: string }) => entry.entity_id === first.id)
      .map((entry: { action: string }) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(['fulfillment.forfeit', 'fulfillment.redraw']));
  });

  it('a re-draw with no eligible owner left returns the prize to the sponsor (409)', async () => {
    const users = [await memberWithPoints(t, 1000)];
    const { fulfillments } = await drawn(
      [{ rank: 1, name: 'Shoes', value_usd: 120, fulfillment_type: 'physical' }],
      users,
    );
    const [only] = fulfillments;
    await admin.put(`/admin/fulfillments/${only.id}`).send({ status: 'forfeited' }).expect(200);
    const refused = await admin.post(`/admin/fulfillments/${only.id}/redraw`).expect(409);
    expect(refused.body.detail).toBe('No eligible owner remains: the prize is returned to the sponsor');
    const after = (
      await admin.get('/admin/fulfillments?filter[status]=returned_to_sponsor&per_page=100').expect(200)
    ).body.data;
    expect(after.map((f: { id: string }) => f.id)).toContain(only.id);
  });

  it('sponsors CRUD (admin only, unique names, soft delete, audited)', async () => {
    const name = `Acme ${randomUUID().slice(0, 8)}`;
    const created = (
      await admin.post('/admin/sponsors').send({ name, contact_email: 'prizes@acme.example' }).expect(201)
    ).body;
    expect(created).toMatchObject({ name, contact_email: 'prizes@acme.example', is_active: true });
    expect((await admin.post('/admin/sponsors').send({ name }).expect(409)).body.detail).toBe(
      'A sponsor with this name already exists',
    );
    await admin.post('/admin/sponsors').send({ name: '', website_url: 'ftp://x' }).expect(422);
    const member = await memberWithPoints(t, 0);
    await asUser(t, member).get('/admin/sponsors').expect(403);
    const updated = (
      await admin.put(`/admin/sponsors/${created.id}`).send({ name, is_active: false }).expect(200)
    ).body;
    expect(updated.is_active).toBe(false);
    expect((await admin.get(`/admin/sponsors/${created.id}`).expect(200)).body.name).toBe(name);
    await admin.delete(`/admin/sponsors/${created.id}`).expect(204);
    await admin.get(`/admin/sponsors/${created.id}`).expect(404);
    const actions = (await admin.get('/admin/audit-log?per_page=100').expect(200)).body.data
      .filter((entry: { entity_id: string }) => entry.entity_id === created.id)
      .map((entry: { action: string }) => entry.action);
    expect(actions.reverse()).toEqual(['sponsor.create', 'sponsor.update', 'sponsor.delete']);
  });

  it('compliance: a drawing’s report (ARV, bought vs free, winners, NY/FL registration) and the yearly prize reporting', async () => {
    const users = await Promise.all([0, 1].map(() => memberWithPoints(t, 1000)));
    const drawing = await createDrawing(t, admin, 'open', {
      prizes: [
        { rank: 1, name: 'Car', value_usd: 5500, fulfillment_type: 'physical' },
        { rank: 2, name: 'Card', value_usd: 25, fulfillment_type: 'digital', digital_code: 'C' },
      ],
    });
    await asUser(t, users[0]).post(`/drawings/${drawing.id}/tickets`).send({ quantity: 3 }).expect(201);
    await asUser(t, users[1]).post(`/drawings/${drawing.id}/free-entry`).expect(201);
    await admin.put(`/admin/drawings/${drawing.id}`).send({ status: 'closed' }).expect(200);
    await admin.post(`/admin/drawings/${drawing.id}/execute`).expect(200);

    const report = (await admin.get(`/admin/compliance/drawings/${drawing.id}`).expect(200)).body;
    expect(report).toMatchObject({ total_prize_value_usd: 5525, entries: { total: 4, bought: 3, free: 1 } });
    expect(report.winners.map((w: { value_usd: number }) => w.value_usd).sort()).toEqual([25, 5500]);
    // The default SWEEPSTAKES_EXCLUDED_STATES (NY, FL, RI) keeps both registrations unnecessary.
    expect(report.registrations).toEqual([
      expect.objectContaining({ state: 'NY', required: false }),
      expect.objectContaining({ state: 'FL', required: false }),
    ]);
    await asUser(t, users[0]).get(`/admin/compliance/drawings/${drawing.id}`).expect(403);
    await admin.get('/admin/compliance/drawings/00000000-0000-4000-8000-000000000000').expect(404);

    const year = t.clock.now().getUTCFullYear();
    const reporting = (await admin.get(`/admin/compliance/prize-reporting?year=${year}`).expect(200)).body;
    expect(reporting.threshold_usd).toBe(2000);
    const car = reporting.winners.find((w: { prizes: Array<{ prize_name: string }> }) =>
      w.prizes.some((p) => p.prize_name === 'Car' && reporting),
    );
    const carWinner = report.winners.find((w: { prize_name: string }) => w.prize_name === 'Car').user_id;
    const row = reporting.winners.find((w: { user_id: string }) => w.user_id === carWinner);
    expect(car).toBeDefined();
    expect(row).toMatchObject({ reportable: true, w9_received: false });
    expect(row.total_value_usd).toBeGreaterThanOrEqual(5500);
    expect(
      (await admin.get(`/admin/compliance/prize-reporting?year=${year - 1}`).expect(200)).body.winners,
    ).toEqual([]);
    await admin.get('/admin/compliance/prize-reporting?year=26').expect(422);
    await admin.get('/admin/compliance/prize-reporting').expect(422);
  });
});
