import { TicketsRepository } from '@fittrack/sweepstakes';
import { type ApiClient, asAdmin, asUser } from '../support/api-client';
import { createTestApp, type TestApp } from '../support/test-app';
import { createDrawing, memberWithPoints } from './support';

/** One sample's value from the exposition text (0 when absent). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text
    .split('\n')
    .find((l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && want.every((w) => l.includes(w)));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

describe('sweepstakes metrics', () => {
  let t: TestApp;
  let admin: ApiClient;

  beforeAll(async () => {
    t = await createTestApp({ now: '2026-01-16T12:00:00Z' });
    admin = await asAdmin(t);
  });
  afterAll(() => t.close());

  const scrape = async () => (await t.http().get('/metrics').expect(200)).text;

  it('counts tickets bought once committed (not free entries, replays or refusals), executions by outcome, and overdue drawings', async () => {
    const drawing = await createDrawing(t, admin, 'open', { drawing_type: 'weekly' });
    const [buyer, broke] = [await memberWithPoints(t, 1000), await memberWithPoints(t, 50)];
    const weekly = { drawing_type: 'weekly' };
    const before = await scrape();

    const buy = (key: string) =>
      asUser(t, buyer)
        .post(`/drawings/${drawing.id}/tickets`)
        .set('Idempotency-Key', key)
        .send({ quantity: 3 });
    await buy('metrics-1').expect(201);
    await buy('metrics-1').expect(201); // a replay: nothing new bought
    await asUser(t, broke).post(`/drawings/${drawing.id}/tickets`).send({ quantity: 1 }).expect(409);
    await asUser(t, broke).post(`/drawings/${drawing.id}/free-entry`).expect(201);
    const bought = await scrape();
    expect(sample(bought, 'tickets_purchased_total', weekly)).toBe(
      sample(before, 'tickets_purchased_total', weekly) + 3,
    );

    // Closed and past its drawing time: overdue until it is drawn.
    await admin.put(`/admin/drawings/${drawing.id}`).send({ status: 'closed' }).expect(200);
    t.clock.set(new Date(new Date(drawing.drawing_time as string).getTime() + 60_000));
    const overdue = await scrape();

    // A draw that fails (a ticket lookup breaks) is counted as failed and leaves the drawing closed.
    const tickets = t.app.get(TicketsRepository);
    jest.spyOn(tickets, 'ownerOf').mockRejectedValueOnce(new Error('database went away'));
    await admin.post(`/admin/drawings/${drawing.id}/execute`).expect(500);
    jest.restoreAllMocks();
    const failed = await scrape();
    const outcome = (o: string) => ({ ...weekly, outcome: o });
    expect(sample(failed, 'drawings_executed_total', outcome('failed'))).toBe(
      sample(before, 'drawings_executed_total', outcome('failed')) + 1,
    );
    expect(sample(failed, 'drawings_overdue')).toBe(sample(overdue, 'drawings_overdue'));

    await admin.post(`/admin/drawings/${drawing.id}/execute`).expect(200);
    await admin.post(`/admin/drawings/${drawing.id}/execute`).expect(200); // idempotent: drawn once
    const drawn = await scrape();
    expect(sample(drawn, 'drawings_executed_total', outcome('completed'))).toBe(
      sample(before, 'drawings_executed_total', outcome('completed')) + 1,
    );
    expect(sample(drawn, 'drawings_overdue')).toBe(sample(overdue, 'drawings_overdue') - 1);
    expect(sample(drawn, 'tickets_purchased_total', weekly)).toBe(
      sample(before, 'tickets_purchased_total', weekly) + 3,
    );
  });
});
