import { DrawingExecutionService, Ticket } from '@fittrack/sweepstakes';
import { VerifyDrawingCommand } from '../../apps/cli/src/commands/verify-drawing.command';
import { type ApiClient, asAdmin, asUser } from '../support/api-client';
import { createTestApp, type TestApp } from '../support/test-app';
import { dataSource } from '../api/fixtures';
import { createDrawing, memberWithPoints } from './support';

describe('drawing results and verify-drawing', () => {
  let t: TestApp;
  let admin: ApiClient;

  beforeAll(async () => {
    t = await createTestApp({ now: '2026-01-16T12:00:00Z' });
    admin = await asAdmin(t);
  });
  afterAll(() => t.close());

  /** Runs the CLI command in this app; returns its lines and exit code. */
  const verifyDrawing = async (id: string) => {
    const lines: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
    process.exitCode = 0;
    try {
      await new VerifyDrawingCommand(t.app.get(DrawingExecutionService)).run([id]);
      return { lines, exitCode: process.exitCode };
    } finally {
      log.mockRestore();
      process.exitCode = 0;
    }
  };

  it('results: 409 before completion; after, winners by rank with names and you_won', async () => {
    const drawing = await createDrawing(t, admin, 'open', {
      prizes: [
        { rank: 1, name: 'Watch', value_usd: 250, fulfillment_type: 'physical' },
        { rank: 2, name: 'Card', value_usd: 50, fulfillment_type: 'digital', digital_code: 'C-2' },
      ],
    });
    const users = await Promise.all([0, 1, 2].map(() => memberWithPoints(t, 1000)));
    for (const user of users) {
      await asUser(t, user).post(`/drawings/${drawing.id}/tickets`).send({ quantity: 2 }).expect(201);
    }
    const early = await asUser(t, users[0]).get(`/drawings/${drawing.id}/results`).expect(409);
    expect(early.body.detail).toBe('Drawing not completed');
    await admin.put(`/admin/drawings/${drawing.id}`).send({ status: 'closed' }).expect(200);
    await admin.post(`/admin/drawings/${drawing.id}/execute`).expect(200);

    const results = (await asUser(t, users[0]).get(`/drawings/${drawing.id}/results`).expect(200)).body;
    expect(results).toMatchObject({ drawing_id: drawing.id, status: 'completed', total_tickets: 6 });
    expect(results.winners.map((w: { prize_rank: number }) => w.prize_rank)).toEqual([1, 2]);
    expect(results.winners.map((w: { prize_name: string }) => w.prize_name)).toEqual(['Watch', 'Card']);
    expect(results.winners.every((w: { display_name: string }) => typeof w.display_name === 'string')).toBe(
      true,
    );
    expect(results.verification.winners.map((w: { ticket_number: number }) => w.ticket_number)).toEqual(
      results.winners.map((w: { ticket_number: number }) => w.ticket_number),
    );
    const winnerIds = results.winners.map((w: { user_id: string }) => w.user_id);
    for (const user of users) {
      const mine = (await asUser(t, user).get(`/drawings/${drawing.id}/results`).expect(200)).body;
      expect(mine.you_won).toBe(winnerIds.includes(user.id));
    }
    await asUser(t, users[0]).get('/drawings/00000000-0000-4000-8000-000000000000/results').expect(404);
  });

  it('verify-drawing recomputes and compares: ok as drawn, FAIL with exit code 1 once the data is tampered', async () => {
    const drawing = await createDrawing(t, admin, 'open');
    const users = await Promise.all([0, 1].map(() => memberWithPoints(t, 1000)));
    for (const user of users) {
      await asUser(t, user).post(`/drawings/${drawing.id}/tickets`).send({ quantity: 3 }).expect(201);
    }
    expect((await verifyDrawing(drawing.id)).exitCode).toBe(1); // not drawn yet
    await admin.put(`/admin/drawings/${drawing.id}`).send({ status: 'closed' }).expect(200);
    await admin.post(`/admin/drawings/${drawing.id}/execute`).expect(200);

    const good = await verifyDrawing(drawing.id);
    expect(good.exitCode).toBe(0);
    expect(good.lines.filter((line) => line.startsWith('ok'))).toHaveLength(3); // seed, tickets_hash, winners
    expect(good.lines.at(-1)).toBe(`Drawing ${drawing.id} verifies`);

    // A ticket moved to the other owner after the close: the list no longer matches its hash.
    const tickets = dataSource(t).getRepository(Ticket);
    const third = await tickets.findOneByOrFail({ drawingId: drawing.id, ticketNumber: 3 });
    const other = users.find((u) => u.id !== third.userId)!;
    await tickets.update({ id: third.id }, { userId: other.id });
    const bad = await verifyDrawing(drawing.id);
    expect(bad.exitCode).toBe(1);
    expect(bad.lines.find((line) => line.includes('tickets_hash'))).toMatch(/^FAIL/);
    await tickets.update({ id: third.id }, { userId: third.userId });

    // A replaced seed no longer matches its commitment.
    await dataSource(t)
      .getRepository('Drawing')
      .update({ id: drawing.id }, { seed: 'ff'.repeat(32) });
    const seedless = await verifyDrawing(drawing.id);
    expect(seedless.exitCode).toBe(1);
    expect(seedless.lines.find((line) => line.includes('seed'))).toMatch(/^FAIL/);
  });
});
