import { PointTransaction } from '@fittrack/points';
import { SYSTEM_PRINCIPAL } from '@fittrack/core';
import {
  Drawing,
  DrawingExecutionService,
  Ticket,
  TicketsHasher,
  TicketsService,
} from '@fittrack/sweepstakes';
import { User } from '@fittrack/users';
import { type ApiClient, asAdmin } from '../support/api-client';
import { createTestApp, type TestApp } from '../support/test-app';
import { dataSource } from '../api/fixtures';
import { createDrawing, memberWithPoints } from './support';

/**
 * Ticket sales under concurrency. On PostgreSQL (TEST_DB=postgres) the purchases really race over the
 * connection pool; on SQLite units of work take turns, and the same assertions hold.
 */
describe('tickets under concurrency', () => {
  let t: TestApp;
  let admin: ApiClient;
  let tickets: TicketsService;

  beforeAll(async () => {
    t = await createTestApp({ now: '2026-01-16T12:00:00Z' });
    admin = await asAdmin(t);
    tickets = t.app.get(TicketsService);
  });
  afterAll(() => t.close());

  const principal = (user: User) => ({
    userId: user.id,
    email: user.email,
    role: user.role,
    jti: 'x',
    exp: 0,
  });

  it('50 parallel purchases from one user with points for 20: exactly 20 succeed, balance 0, ledger consistent', async () => {
    const drawing = await createDrawing(t, admin);
    const user = await memberWithPoints(t, 2000);
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () => tickets.purchase(drawing.id, 1, principal(user))),
    );
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(results.length - refused.length).toBe(20);
    for (const r of refused) expect(r.reason).toMatchObject({ message: 'Insufficient points' });
    // Each sale counts the buyer's tickets before it, those sold in the same turn included.
    const mine = results
      .filter(
        (r): r is PromiseFulfilledResult<Awaited<ReturnType<TicketsService['purchase']>>> =>
          r.status === 'fulfilled',
      )
      .map((r) => r.value.odds.my_tickets);
    expect(mine.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect((await dataSource(t).getRepository(User).findOneByOrFail({ id: user.id })).pointBalance).toBe(0);
    const ledger = await dataSource(t)
      .getRepository(PointTransaction)
      .find({ where: { userId: user.id }, order: { sequence: 'ASC' } });
    expect(ledger.map((row) => row.sequence)).toEqual(ledger.map((_, i) => i + 1));
    expect(ledger.at(-1)!.balanceAfter).toBe(0);
    expect(ledger.filter((row) => row.transactionType === 'spend')).toHaveLength(20);
    const sold = await dataSource(t)
      .getRepository(Ticket)
      .find({ where: { drawingId: drawing.id } });
    expect(sold.map((ticket) => ticket.ticketNumber).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
  }, 30_000);

  it('200 buyers at once: ticket numbers 1..N with no gap or duplicate, total_tickets = N', async () => {
    const drawing = await createDrawing(t, admin, 'open', { ticket_cost_points: 10 });
    const buyers: User[] = [];
    for (let i = 0; i < 200; i++) buyers.push(await memberWithPoints(t, 30));
    const results = await Promise.allSettled(
      buyers.map((buyer, i) =>
        i % 4 === 0
          ? tickets.freeEntry(drawing.id, principal(buyer))
          : tickets.purchase(drawing.id, 1 + (i % 3), principal(buyer)),
      ),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const sold = await dataSource(t)
      .getRepository(Ticket)
      .find({ where: { drawingId: drawing.id } });
    const numbers = sold.map((ticket) => ticket.ticketNumber).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1));
    expect(
      (await dataSource(t).getRepository(Drawing).findOneByOrFail({ id: drawing.id })).totalTickets,
    ).toBe(numbers.length);
  }, 120_000);

  it('purchases placed together share a turn: one buyer failing otherwise fails nobody else, refusals stay their own', async () => {
    const drawing = await createDrawing(t, admin, 'open', { ticket_cost_points: 10 });
    const buyers: User[] = [];
    for (let i = 0; i < 6; i++) buyers.push(await memberWithPoints(t, 30));
    const poor = await memberWithPoints(t, 5);
    // A ledger that no longer matches its balance makes the ledger throw a plain error (not a refusal):
    // the turn it was in rolls back and every order runs again on its own.
    await dataSource(t).getRepository(User).update({ id: buyers[2].id }, { pointBalance: 31 });
    const results = await Promise.allSettled([
      ...buyers.map((buyer) => tickets.purchase(drawing.id, 2, principal(buyer))),
      tickets.purchase(drawing.id, 1, principal(poor)),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
    ]);
    expect((results[2] as PromiseRejectedResult).reason.message).toMatch(/does not match its balance/);
    expect((results[6] as PromiseRejectedResult).reason.message).toBe('Insufficient points');
    const sold = results
      .filter(
        (r): r is PromiseFulfilledResult<Awaited<ReturnType<TicketsService['purchase']>>> =>
          r.status === 'fulfilled',
      )
      .map((r) => r.value);
    // Each answer is its own: two tickets, 20 points spent, 10 left, and the odds of 2 of the total then.
    for (const result of sold) {
      expect(result).toMatchObject({ pointsSpent: 20, pointBalance: 10, replayed: false });
      expect(result.tickets).toHaveLength(2);
      expect(result.odds.my_tickets).toBe(2);
      expect(result.odds.odds).toBe(`1 in ${Math.ceil(result.tickets[1].ticketNumber / 2)}`);
    }
    const numbers = sold.flatMap((result) => result.tickets.map((ticket) => ticket.ticketNumber));
    expect(numbers.sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    expect(
      (await dataSource(t).getRepository(Drawing).findOneByOrFail({ id: drawing.id })).totalTickets,
    ).toBe(10);
    expect(
      await dataSource(t)
        .getRepository(PointTransaction)
        .countBy({ userId: buyers[2].id, transactionType: 'spend' }),
    ).toBe(0);
    // Set right again: the app checks every ledger against its balance when it closes.
    await dataSource(t).getRepository(User).update({ id: buyers[2].id }, { pointBalance: 30 });
  }, 30_000);

  it('one Idempotency-Key twice at once: one sale, both answers carry its tickets, the points spent once', async () => {
    const drawing = await createDrawing(t, admin, 'open', { ticket_cost_points: 10 });
    const user = await memberWithPoints(t, 100);
    const [first, second] = await Promise.all([
      tickets.purchase(drawing.id, 3, principal(user), 'same-key'),
      tickets.purchase(drawing.id, 3, principal(user), 'same-key'),
    ]);
    expect([first.replayed, second.replayed].sort()).toEqual([false, true]);
    expect(second.tickets.map((ticket) => ticket.id)).toEqual(first.tickets.map((ticket) => ticket.id));
    expect(first.tickets.map((ticket) => ticket.ticketNumber)).toEqual([1, 2, 3]);
    expect((await dataSource(t).getRepository(User).findOneByOrFail({ id: user.id })).pointBalance).toBe(70);
    expect(await dataSource(t).getRepository(Ticket).countBy({ drawingId: drawing.id })).toBe(3);
  }, 30_000);

  it('2 parallel executions: one draw; a purchase racing the close is either in the hash or refused', async () => {
    const drawing = await createDrawing(t, admin);
    const buyers: User[] = [];
    for (let i = 0; i < 20; i++) buyers.push(await memberWithPoints(t, 100));
    const execution = t.app.get(DrawingExecutionService);
    const [purchases] = await Promise.all([
      Promise.allSettled(buyers.map((buyer) => tickets.purchase(drawing.id, 1, principal(buyer)))),
      execution.transition(drawing.id, 'closed', SYSTEM_PRINCIPAL),
    ]);
    for (const r of purchases.filter((p): p is PromiseRejectedResult => p.status === 'rejected')) {
      expect(r.reason).toMatchObject({ message: 'Ticket sales closed' });
    }
    const sold = purchases.filter((p) => p.status === 'fulfilled').length;
    const [a, b] = await Promise.all([
      execution.execute(drawing.id, SYSTEM_PRINCIPAL),
      execution.execute(drawing.id, SYSTEM_PRINCIPAL),
    ]);
    expect(a).toEqual(b);
    expect(a.total_tickets).toBe(sold);
    const hasher = new TicketsHasher();
    const rows = await dataSource(t)
      .getRepository(Ticket)
      .find({ where: { drawingId: drawing.id }, order: { ticketNumber: 'ASC' } });
    rows.forEach((row) => hasher.add(row.ticketNumber, row.userId));
    expect(hasher.digestHex()).toBe(a.tickets_hash);
    const winners = await dataSource(t)
      .getRepository(Ticket)
      .findBy({ drawingId: drawing.id, isWinner: true });
    expect(winners).toHaveLength(sold > 0 ? 1 : 0);
    // Refused buyers kept their points.
    for (const [i, r] of purchases.entries()) {
      const balance = (await dataSource(t).getRepository(User).findOneByOrFail({ id: buyers[i].id }))
        .pointBalance;
      expect(balance).toBe(r.status === 'fulfilled' ? 0 : 100);
    }
  }, 60_000);
});
