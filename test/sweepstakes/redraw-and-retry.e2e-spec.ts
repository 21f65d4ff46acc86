import { PointTransaction } from '@fittrack/points';
import { DrawingExecutionService, Ticket, TicketsRepository, TicketsService } from '@fittrack/sweepstakes';
import { SYSTEM_PRINCIPAL } from '@fittrack/core';
import { User } from '@fittrack/users';
import { type ApiClient, apiClient, asAdmin, asUser } from '../support/api-client';
import { createTestApp, type TestApp } from '../support/test-app';
import { dataSource } from '../api/fixtures';
import { createDrawing, memberWithPoints, recomputeAll } from './support';

/**
 * Edges of the sweepstakes under concurrency and retries, on SQLite and PostgreSQL (TEST_DB=postgres, where
 * the concurrent requests really run at once over the pool).
 */
describe('re-draws, retried purchases and the close', () => {
  let t: TestApp;
  let admin: ApiClient;

  beforeAll(async () => {
    t = await createTestApp({ now: '2026-01-16T12:00:00Z' });
    admin = await asAdmin(t);
  });
  afterAll(() => t.close());

  const balanceOf = async (id: string) =>
    (await dataSource(t).getRepository(User).findOneByOrFail({ id })).pointBalance;

  it('two concurrent re-draws of one forfeited prize: one alternate winner, the other 409; the sequence continues verifiably', async () => {
    const users = await Promise.all([0, 1, 2, 3, 4].map(() => memberWithPoints(t, 1000)));
    const drawing = await createDrawing(t, admin, 'open', {
      prizes: [
        { rank: 1, name: 'Watch', value_usd: 250, fulfillment_type: 'physical' },
        { rank: 2, name: 'Bottle', value_usd: 10, fulfillment_type: 'physical' },
      ],
    });
    for (const user of users) {
      await asUser(t, user).post(`/drawings/${drawing.id}/tickets`).send({ quantity: 3 }).expect(201);
    }
    await admin.put(`/admin/drawings/${drawing.id}`).send({ status: 'closed' }).expect(200);
    await admin.post(`/admin/drawings/${drawing.id}/execute`).expect(200);
    const fulfillments = (await admin.get('/admin/fulfillments?per_page=100').expect(200)).body.data.filter(
      (f: { drawing_id: string }) => f.drawing_id === drawing.id,
    );
    const first = fulfillments.find((f: { prize_rank: number }) => f.prize_rank === 1);
    await admin.put(`/admin/fulfillments/${first.id}`).send({ status: 'forfeited' }).expect(200);

    const answers = await Promise.all([
      admin.post(`/admin/fulfillments/${first.id}/redraw`),
      admin.post(`/admin/fulfillments/${first.id}/redraw`),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
    const refused = answers.find((r) => r.status === 409)!;
    expect(refused.headers['content-type']).toMatch(/problem\+json/);
    // Which check refuses depends on timing: the re-draw already committed, or the counter moved under it.
    expect(['Prize already re-drawn', 'Another re-draw of this drawing is in progress; try again']).toContain(
      refused.body.detail,
    );
    const alternate = answers.find((r) => r.status === 201)!.body;

    const anonymous = apiClient(t);
    const verify = (await anonymous.get(`/drawings/${drawing.id}/verify`).expect(200)).body;
    const csv = (await anonymous.get(`/drawings/${drawing.id}/ticket-list`).expect(200)).text;
    expect(verify.redraws).toHaveLength(1);
    // Recomputed apart from the app: the re-draw is the next candidate after the initial draw, skipping
    // both initial winners (the forfeiting one included).
    const recomputed = recomputeAll(verify, csv);
    expect(recomputed.winners).toEqual(verify.winners);
    expect(recomputed.redraws).toEqual([
      { prize_rank: 1, ticket_number: verify.redraws[0].ticket_number, user_id: alternate.user_id },
    ]);
    expect(verify.redraws[0].replaces_ticket).toBe(
      verify.winners.find((w: { prize_rank: number }) => w.prize_rank === 1).ticket_number,
    );
    expect(verify.winners.map((w: { user_id: string }) => w.user_id)).not.toContain(alternate.user_id);
    const winningTickets = await dataSource(t)
      .getRepository(Ticket)
      .findBy({ drawingId: drawing.id, isWinner: true });
    expect(winningTickets).toHaveLength(3); // two initial winners and one alternate, never two
    const checks = await t.app.get(DrawingExecutionService).recheck(drawing.id);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(checks.map((c) => c.check)).toContain('redraw rank 1');
    // A later re-draw attempt of the same prize changes nothing.
    expect((await admin.post(`/admin/fulfillments/${first.id}/redraw`).expect(409)).body.detail).toBe(
      'Prize already re-drawn',
    );
  });

  it('a purchase retried with its Idempotency-Key after the close returns the first result; a new purchase is 403', async () => {
    const drawing = await createDrawing(t, admin);
    const [buyer, broke] = [await memberWithPoints(t, 1000), await memberWithPoints(t, 50)];
    const buy = (user: User, key: string) =>
      asUser(t, user)
        .post(`/drawings/${drawing.id}/tickets`)
        .set('Idempotency-Key', key)
        .send({ quantity: 2 });
    const first = (await buy(buyer, 'close-retry').expect(201)).body;
    expect((await buy(broke, 'refused-first').expect(409)).body.detail).toBe('Insufficient points');
    await admin.put(`/admin/drawings/${drawing.id}`).send({ status: 'closed' }).expect(200);

    // The purchase committed before the close: its tickets are in the frozen list and its points spent, so
    // the retry says so (a 403 would tell the client it failed). Nothing is spent or issued again.
    const retried = (await buy(buyer, 'close-retry').expect(201)).body;
    expect(retried.tickets).toEqual(first.tickets);
    expect(retried).toMatchObject({ points_spent: 200, point_balance: 800, replayed: true });
    expect(await balanceOf(buyer.id)).toBe(800);
    const spends = await dataSource(t)
      .getRepository(PointTransaction)
      .findBy({ userId: buyer.id, transactionType: 'spend' });
    expect(spends).toHaveLength(1);
    // No first result to return: a key whose first attempt was refused, or a new key, meets the closed sales.
    expect((await buy(broke, 'refused-first').expect(403)).body.detail).toBe('Ticket sales closed');
    expect((await buy(buyer, 'after-close').expect(403)).body.detail).toBe('Ticket sales closed');
    expect(await balanceOf(buyer.id)).toBe(800);
    expect(await dataSource(t).getRepository(Ticket).countBy({ drawingId: drawing.id })).toBe(2);
    // The key is the buyer's: another user sending it buys (or not) on their own account.
    expect((await buy(broke, 'close-retry').expect(403)).body.detail).toBe('Ticket sales closed');
  });

  it('a purchase racing the close: one holding the drawing lock is in the hash; one not yet at it is refused and keeps its points', async () => {
    const drawing = await createDrawing(t, admin);
    const [early, late] = [await memberWithPoints(t, 100), await memberWithPoints(t, 100)];
    const repository = t.app.get(TicketsRepository);
    const tickets = t.app.get(TicketsService);
    const execution = t.app.get(DrawingExecutionService);
    const principal = (user: User) => ({
      userId: user.id,
      email: user.email,
      role: user.role,
      jti: 'x',
      exp: 0,
    });
    // SQLite units take turns, so nothing interleaves inside one: there `late` simply buys after the close.
    const interleaved = process.env.TEST_DB === 'postgres';

    /** A point a purchase stops at until released. */
    const gate = () => {
      let reached!: () => void;
      let release!: () => void;
      const atGate = new Promise<void>((resolve) => (reached = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      return { atGate, reached, released, release };
    };
    const earlyGate = gate(); // after numbering and inserting its ticket (the drawing row held), before commit
    const lateGate = gate(); // after paying, before the drawing row
    const issue = repository.issue.bind(repository);
    let buying = '';
    jest.spyOn(repository, 'issue').mockImplementation(async (...args) => {
      if (buying === late.id) {
        lateGate.reached();
        await lateGate.released;
      }
      const issued = await issue(...args);
      if (buying === early.id) {
        earlyGate.reached();
        await earlyGate.released;
      }
      return issued;
    });
    try {
      buying = early.id;
      const earlyBuy = tickets.purchase(drawing.id, 1, principal(early));
      await earlyGate.atGate;
      let lateBuy: Promise<unknown> | null = null;
      if (interleaved) {
        buying = late.id;
        lateBuy = tickets.purchase(drawing.id, 1, principal(late));
        await lateGate.atGate;
      }
      const close = execution.transition(drawing.id, 'closed', SYSTEM_PRINCIPAL);
      // The close queues on the drawing row `early` holds (on SQLite: behind its unit of work).
      await new Promise((resolve) => setTimeout(resolve, 200));
      earlyGate.release();
      await earlyBuy;
      await close;
      buying = late.id;
      lateBuy ??= tickets.purchase(drawing.id, 1, principal(late));
      lateGate.release();
      await expect(lateBuy).rejects.toMatchObject({ message: 'Ticket sales closed' });
    } finally {
      jest.restoreAllMocks();
      earlyGate.release();
      lateGate.release();
    }
    const verify = (await apiClient(t).get(`/drawings/${drawing.id}/verify`).expect(200)).body;
    const csv = (await apiClient(t).get(`/drawings/${drawing.id}/ticket-list`).expect(200)).text;
    expect(verify.total_tickets).toBe(1);
    expect(csv.trim().split('\n').slice(1)).toEqual([`1,${early.id}`]);
    expect(await balanceOf(early.id)).toBe(0);
    expect(await balanceOf(late.id)).toBe(100);
  });
});
