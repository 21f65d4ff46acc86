import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { LedgerService } from '@fittrack/points';
import { createUserWithToken, TEST_PASSWORD, type UserWithToken } from '../support/api-client';
import { launchBrowser, type TestBrowser } from '../support/browser';
import { createTestApp, type TestApp, withEnv } from '../support/test-app';
import { type FakeBeacon, startFakeBeacon } from '../sweepstakes/fake-beacon';
import { freePort } from '../trackers/helpers';
import {
  drawKey,
  drawWinners,
  sha256HexOf,
  ticketsFromOwners,
  ticketsHashOf,
} from '../../libs/sweepstakes/src/draw/fair-draw';

/** The page's DOM, as used inside page.waitForFunction callbacks (which run in the browser). */
declare const document: { querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }> };

jest.setTimeout(120_000);

const MINUTE = 60_000;
const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const C = '33333333-3333-4333-8333-333333333333';
const D = '44444444-4444-4444-8444-444444444444';

/** What a datetime-local input holds (local time, as the page converts it). */
function localInput(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/**
 * The Drawings and Admin tabs in Chromium against the real app and a fake drand beacon (its own key,
 * pinned through the environment): the page's fair-draw module against the fair-draw.md vectors, then the
 * whole flow — an admin creates and opens a drawing, a member buys tickets and takes the free entry, the
 * admin closes and executes (409 until the beacon round exists), the result verifies in the browser (and
 * a tampered ticket list does not), the winner claims the prize through the email's link, the admin ships.
 * Every step is checked on the page and through the API.
 */
describe('the Drawings and Admin tabs in Chromium', () => {
  let t: TestApp;
  let beacon: FakeBeacon;
  let browser: TestBrowser;
  let page: Page;
  let baseUrl: string;
  let admin: UserWithToken;
  let alice: UserWithToken;
  let bob: UserWithToken;
  let carol: UserWithToken;
  let dave: UserWithToken;
  // Uncaught errors and CSP violations on the page (CSP `default-src 'self'`: no inline code).
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    beacon = await startFakeBeacon(() => (t ? t.clock.now() : new Date()));
    // APP_BASE_URL: the winner email's claim link points at this server.
    t = await withEnv({ ...beacon.env, APP_BASE_URL: baseUrl }, () => createTestApp());
    await t.app.listen(port, '127.0.0.1');
    admin = await createUserWithToken(t, { role: 'admin' });
    alice = await createUserWithToken(t);
    bob = await createUserWithToken(t);
    carol = await createUserWithToken(t);
    dave = await createUserWithToken(t);
    for (const member of [alice, bob, carol, dave]) {
      await t.app.get(LedgerService).post({
        userId: member.user.id,
        type: 'earn',
        amount: 1000,
        reference: { type: 'activity', id: randomUUID() },
        description: 'fixture award',
        idempotencyKey: `fixture:${randomUUID()}`,
        earnedOn: t.clock.now().toISOString().slice(0, 10),
      });
    }
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) pageErrors.push(m.text());
    });
    await page.goto(`${baseUrl}/test/`);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await beacon?.close();
  });

  const byTestId = (id: string) => page.getByTestId(id);

  async function logIn(who: UserWithToken, tab: string) {
    await byTestId('tab-auth').click();
    await byTestId('login-email').fill(who.user.email);
    await byTestId('login-password').fill(TEST_PASSWORD);
    await byTestId('login-submit').click();
    await byTestId('auth-badge').filter({ hasText: who.user.email }).waitFor();
    await byTestId(`tab-${tab}`).click();
  }

  it('its fair-draw module reproduces the fair-draw.md test vectors with Web Crypto', async () => {
    // A string, not a function: the TypeScript compiler would turn import() into require().
    const out = await page.evaluate(`(async () => {
      const fd = await import('/test/js/fair-draw.js');
      const [A, B, C, D] = ${JSON.stringify([A, B, C, D])};
      const seed = Array.from({ length: 32 }, (_, i) => i.toString(16).padStart(2, '0')).join('');
      const beacon = '8a62e967fcd6dfa5d75308c37808b4668a7faf1cdb06e09ac0a7161827603887';
      const tickets = [A, A, A, A, B, B, B, C, C, D];
      const alternating = [A, B, A, B, A, B, A];
      const tickets1 = await fd.ticketsHash(tickets);
      const key1 = await fd.drawKey(seed, null, tickets1);
      const key2 = await fd.drawKey(seed, beacon, tickets1);
      const tickets3 = await fd.ticketsHash(alternating);
      const first = await fd.drawWinners(key1, tickets, [1, 2, 3]);
      const redraw = await fd.drawWinners(key1, tickets, [1], first.nextCounter,
        new Set(first.winners.map((w) => w.user_id)));
      const csv = 'ticket_number,user_id\\n' + tickets.map((u, i) => (i + 1) + ',' + u + '\\n').join('');
      const published = {
        algorithm: 'fittrack-draw-v1', seed, seed_commitment: fd.toHex(await fd.sha256(fd.fromHex(seed))),
        beacon: null, tickets_hash: tickets1, total_tickets: 10, prize_ranks: 3, winners: first.winners,
        redraws: [{ ...redraw.winners[0], replaces_ticket: 2 }],
      };
      const wrongRedraw = { ...published, redraws: [{ ...published.redraws[0], ticket_number: 9, user_id: C }] };
      return {
        commitment: published.seed_commitment,
        tickets1, key1: fd.toHex(key1), candidates: await fd.candidates(key1, 10, 8),
        winners1: first.winners.map((w) => w.ticket_number),
        key2: fd.toHex(key2),
        winners2: (await fd.drawWinners(key2, tickets, [1, 2, 3])).winners.map((w) => w.ticket_number),
        tickets3,
        winners3: (await fd.drawWinners(await fd.drawKey(seed, beacon, tickets3), alternating, [1, 2, 3]))
          .winners.map((w) => [w.prize_rank, w.ticket_number]),
        winners4: (await fd.drawWinners(key1, [], [1, 2, 3])).winners,
        redraw: redraw.winners.map((w) => [w.ticket_number, w.user_id]),
        verified: (await fd.verifyDrawing(published, csv)).ok,
        wrongRedraw: (await fd.verifyDrawing(wrongRedraw, csv)).ok,
        wrongSeed: (await fd.verifyDrawing({ ...published, seed: 'ff'.repeat(32) }, csv)).checks
          .filter((c) => !c.ok).map((c) => c.check),
      };
    })()`);
    expect(out).toEqual({
      commitment: '630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd',
      tickets1: '7556c80e70125db5e05430983d4d2418b184e16f6e6be84977c528c01258a0b5',
      key1: '00fdd27af60a5d9473e4955921be3ebf6b916edda71e3929e2065925eec98e78',
      candidates: [2, 8, 6, 3, 4, 7, 8, 5],
      winners1: [2, 8, 6],
      key2: 'd6b081b38c7c603fcd5222a11bf664a6e72a305c88034cebae6d91c7e54ee809',
      winners2: [4, 9, 7],
      tickets3: 'c4c886cdf9583928fa6ccd2b3538e20bf20889c88540817840075869da9a6768',
      winners3: [
        [1, 1],
        [2, 2],
      ],
      winners4: [],
      redraw: [[10, D]],
      verified: true,
      wrongRedraw: false,
      wrongSeed: ['seed_commitment'],
    });
  });

  it('agrees with the server’s implementation on a drawing with two re-draws in sequence', async () => {
    // 60 tickets of 6 owners, 3 prizes, then ranks 2 and 3 re-drawn in turn: the owners left hold many
    // tickets each, so each alternate's ticket is pinned by the sequence and who it skips (every earlier
    // winner, the forfeiting one and the first alternate included), not merely by who is left.
    const users = Array.from({ length: 6 }, (_, i) => `${i + 1}`.repeat(8) + '-0000-4000-8000-000000000000');
    const owners = Array.from({ length: 60 }, (_, i) => users[(i * 7) % 6]);
    const seed = 'ab'.repeat(32);
    const beaconHex = 'cd'.repeat(32);
    const ticketsHash = ticketsHashOf(owners);
    const key = drawKey(seed, beaconHex, ticketsHash);
    const source = ticketsFromOwners(owners);
    const first = await drawWinners(key, source, [1, 2, 3]);
    const won = new Set(first.winners.map((w) => w.userId));
    const second = await drawWinners(key, source, [2], first.nextCounter, won);
    second.winners.forEach((w) => won.add(w.userId));
    const third = await drawWinners(key, source, [3], second.nextCounter, won);
    const asApi = (w: { prizeRank: number; ticketNumber: number; userId: string }) => ({
      prize_rank: w.prizeRank,
      ticket_number: w.ticketNumber,
      user_id: w.userId,
    });
    const published = {
      algorithm: 'fittrack-draw-v1',
      seed,
      seed_commitment: sha256HexOf(Buffer.from(seed, 'hex')),
      beacon: { randomness: beaconHex, signature: null },
      tickets_hash: ticketsHash,
      total_tickets: 60,
      prize_ranks: 3,
      winners: first.winners.map(asApi),
      redraws: [
        { ...asApi(second.winners[0]), replaces_ticket: first.winners[1].ticketNumber },
        { ...asApi(third.winners[0]), replaces_ticket: first.winners[2].ticketNumber },
      ],
    };
    const csv = `ticket_number,user_id\n${owners.map((u, i) => `${i + 1},${u}\n`).join('')}`;
    // Swapping the two re-draws' order publishes the same alternates in another sequence: must not verify.
    const swapped = { ...published, redraws: [...published.redraws].reverse() };
    const outcome = (await page.evaluate(
      `(async () => {
        const fd = await import('/test/js/fair-draw.js');
        const csv = ${JSON.stringify(csv)};
        const ok = await fd.verifyDrawing(${JSON.stringify(published)}, csv);
        const bad = await fd.verifyDrawing(${JSON.stringify(swapped)}, csv);
        return { ok: ok.ok, checks: ok.checks.map((c) => c.ok), redraws: ok.redraws.map((r) => r.match), swapped: bad.ok };
      })()`,
    )) as { ok: boolean; checks: boolean[]; redraws: boolean[]; swapped: boolean };
    expect(outcome).toEqual({ ok: true, checks: [true, true, true], redraws: [true, true], swapped: false });
  });

  it('admin creates and opens a drawing; a member buys and enters free; admin closes and executes; the result verifies in the browser; the winner claims; admin ships', async () => {
    const name = `Browser Drawing ${randomUUID().slice(0, 8)}`;
    const sponsorName = `Acme ${randomUUID().slice(0, 8)}`;

    // ---- admin: a sponsor and a drawing with two prizes
    await logIn(admin, 'admin');
    await byTestId('admin-sponsor-name').fill(sponsorName);
    await byTestId('admin-sponsor-create').click();
    await byTestId('admin-sponsor-message')
      .filter({ hasText: `Sponsor ${sponsorName} added` })
      .waitFor();

    const now = t.clock.now().getTime();
    const drawingTime = now + 11 * MINUTE;
    await byTestId('admin-drawing-name').fill(name);
    await byTestId('admin-drawing-cost').fill('100');
    await byTestId('admin-drawing-opens').fill(localInput(now - MINUTE));
    await byTestId('admin-drawing-close').fill(localInput(now + 10 * MINUTE));
    await byTestId('admin-drawing-time').fill(localInput(drawingTime));
    const prizes = page.getByTestId('admin-prize');
    await prizes.nth(0).getByTestId('admin-prize-name').fill('Fitness Watch');
    await prizes.nth(0).getByTestId('admin-prize-value').fill('250');
    await prizes.nth(0).getByTestId('admin-prize-type').selectOption('physical');
    await prizes.nth(0).getByTestId('admin-prize-sponsor').selectOption({ label: sponsorName });
    await byTestId('admin-prize-add').click();
    await prizes.nth(1).getByTestId('admin-prize-name').fill('Gift Card');
    await prizes.nth(1).getByTestId('admin-prize-value').fill('25');
    await prizes.nth(1).getByTestId('admin-prize-type').selectOption('digital');
    await prizes.nth(1).getByTestId('admin-prize-code').fill('GC-BROWSER');
    await byTestId('admin-prize-add').click();
    await prizes.nth(2).getByTestId('admin-prize-name').fill('Water Bottle');
    await prizes.nth(2).getByTestId('admin-prize-value').fill('10');
    await byTestId('admin-drawing-create').click();
    await byTestId('admin-create-message').filter({ hasText: 'created as a draft' }).waitFor();

    const drafts = (await admin.client.get('/drawings?filter[status]=draft&per_page=100').expect(200)).body
      .data as Array<Record<string, unknown> & { id: string; name: string }>;
    const created = drafts.find((d) => d.name === name)!;
    const sponsors = (await admin.client.get('/admin/sponsors?per_page=100').expect(200)).body.data;
    expect(created).toMatchObject({
      status: 'draft',
      ticket_cost_points: 100,
      drawing_time: new Date(Math.floor(drawingTime / 1000) * 1000).toISOString(),
      prizes: [
        {
          rank: 1,
          name: 'Fitness Watch',
          value_usd: 250,
          fulfillment_type: 'physical',
          sponsor_id: sponsors.find((s: { name: string }) => s.name === sponsorName).id,
        },
        { rank: 2, name: 'Gift Card', value_usd: 25, fulfillment_type: 'digital', sponsor_id: null },
        { rank: 3, name: 'Water Bottle', value_usd: 10, fulfillment_type: 'physical', sponsor_id: null },
      ],
    });
    const id = created.id;
    const row = page.locator(`[data-testid="admin-drawing"][data-id="${id}"]`);
    const getDrawing = async () => (await admin.client.get(`/drawings/${id}`).expect(200)).body;

    await row.getByTestId('admin-action-scheduled').click();
    await page.locator(`[data-testid="admin-drawing"][data-id="${id}"][data-status="scheduled"]`).waitFor();
    const scheduled = await getDrawing();
    expect(scheduled.status).toBe('scheduled');
    expect(scheduled.seed_commitment).toMatch(/^[0-9a-f]{64}$/);
    expect(Number(scheduled.beacon_round)).toBeGreaterThan(0);
    await row.getByTestId('admin-action-open').click();
    await page.locator(`[data-testid="admin-drawing"][data-id="${id}"][data-status="open"]`).waitFor();
    expect((await getDrawing()).status).toBe('open');

    // ---- members: Bob, Carol and Dave buy through the API (four owners: a forfeited prize has someone
    // left to re-draw); Alice buys 3 and takes the free entry on the page
    await bob.client.post(`/drawings/${id}/tickets`).send({ quantity: 2 }).expect(201);
    await carol.client.post(`/drawings/${id}/tickets`).send({ quantity: 1 }).expect(201);
    await dave.client.post(`/drawings/${id}/tickets`).send({ quantity: 1 }).expect(201);
    await logIn(alice, 'drawings');
    expect(await byTestId('tab-admin').isHidden()).toBe(true);
    // Arrow keys skip the hidden tab: right of the last visible one is the first.
    await byTestId('tab-data-controls').focus();
    await page.keyboard.press('ArrowRight');
    await byTestId('panel-api-tester').waitFor({ state: 'visible' });
    await byTestId('tab-drawings').click();
    await byTestId('drawings-filter-status').selectOption('open');
    await page.locator(`[data-testid="drawing-row"][data-id="${id}"]`).getByTestId('drawing-open').click();
    await byTestId('drawing-detail-name').filter({ hasText: name }).waitFor();
    expect(await byTestId('drawing-odds-if-buy-one').textContent()).toBe('1 in 5');
    expect(await byTestId('drawing-odds').textContent()).toBe('no ticket yet');
    expect(await byTestId('drawing-detail-countdown').textContent()).toMatch(/^Sales close in \d+m \d\ds$/);

    await byTestId('drawing-buy-quantity').fill('3');
    expect(await byTestId('drawing-buy-cost').textContent()).toBe('3 × 100 = 300 points');
    const purchase = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith(`/${id}/tickets`));
    await byTestId('drawing-buy').click();
    expect((await purchase).headers()['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    await byTestId('drawing-buy-message').filter({ hasText: 'Bought tickets #5, #6, #7' }).waitFor();
    expect(await byTestId('drawing-buy-message').textContent()).toContain('balance 700');
    await byTestId('drawing-free-entry').click();
    await byTestId('drawing-free-message').filter({ hasText: 'Free ticket #8' }).waitFor();
    const mine = (await alice.client.get(`/drawings/${id}`).expect(200)).body;
    expect(mine).toMatchObject({
      my_tickets: 4,
      total_tickets: 8,
      odds: '1 in 2',
      odds_if_buy_one: '1 in 2',
    });
    expect(await byTestId('drawing-my-tickets').textContent()).toBe('4');
    expect(await byTestId('drawing-odds').textContent()).toBe(mine.odds);
    expect(await byTestId('drawing-odds-if-buy-one').textContent()).toBe(mine.odds_if_buy_one);
    expect((await alice.client.get('/points/balance').expect(200)).body.point_balance).toBe(700);
    // The free entry is once per drawing: the API's refusal is shown.
    await byTestId('drawing-free-entry').click();
    await byTestId('drawing-free-message')
      .filter({ hasText: 'Free entry already used for this drawing' })
      .waitFor();
    const myTickets = page.locator(`[data-testid="my-ticket"][data-drawing="${id}"]`);
    await myTickets.nth(3).waitFor();
    expect(await myTickets.count()).toBe(4);
    expect(
      await page.locator(`[data-testid="my-ticket"][data-drawing="${id}"][data-free="true"]`).count(),
    ).toBe(1);

    // ---- admin: close (the list is frozen and hashed), execute: 409 until the beacon round exists
    await logIn(admin, 'admin');
    await row.getByTestId('admin-action-closed').click();
    await page.locator(`[data-testid="admin-drawing"][data-id="${id}"][data-status="closed"]`).waitFor();
    expect((await getDrawing()).tickets_hash).toMatch(/^[0-9a-f]{64}$/);
    await row.getByTestId('admin-action-execute').click();
    await byTestId('admin-drawings-message')
      .filter({ hasText: /^Execute: Beacon round not yet available: round \d+ is emitted at / })
      .waitFor();
    expect((await getDrawing()).status).toBe('closed');

    t.clock.advance(13 * MINUTE);
    await row.getByTestId('admin-action-execute').click();
    await byTestId('admin-drawings-message')
      .filter({ hasText: `Drawn: 3 winner(s) of ${name}` })
      .waitFor();
    const verify = (await t.http().get(`/api/v1/drawings/${id}/verify`).expect(200)).body;
    expect(verify.status).toBe('completed');
    expect(verify.beacon.randomness).toMatch(/^[0-9a-f]{64}$/);
    expect(verify.winners).toHaveLength(3);

    // ---- the rank-3 winner forfeits; the admin re-draws it (the sequence continues, fair-draw.md)
    const drawn = (await admin.client.get('/admin/fulfillments?per_page=100').expect(200)).body.data;
    const bottle = drawn.find(
      (f: { drawing_id: string; prize_rank: number }) => f.drawing_id === id && f.prize_rank === 3,
    );
    await byTestId('admin-refresh').click();
    const bottleRow = page.locator(`[data-testid="admin-fulfillment"][data-id="${bottle.id}"]`);
    await bottleRow.getByTestId('admin-forfeit').click();
    await page
      .locator(`[data-testid="admin-fulfillment"][data-id="${bottle.id}"][data-status="forfeited"]`)
      .waitFor();
    await bottleRow.getByTestId('admin-redraw').click();
    await byTestId('admin-fulfillments-message')
      .filter({ hasText: 'Re-drawn: Water Bottle goes to' })
      .waitFor();
    const redrawn = (await t.http().get(`/api/v1/drawings/${id}/verify`).expect(200)).body;
    expect(redrawn.redraws).toEqual([
      expect.objectContaining({ prize_rank: 3, replaces_ticket: verify.winners[2].ticket_number }),
    ]);
    const results = (await admin.client.get(`/drawings/${id}/results`).expect(200)).body;
    expect(results.winners[2].ticket_number).toBe(redrawn.redraws[0].ticket_number);

    // ---- the result, recomputed in the browser
    await byTestId('tab-drawings').click();
    await byTestId('drawings-filter-status').selectOption('completed');
    await page.locator(`[data-testid="drawing-row"][data-id="${id}"]`).getByTestId('drawing-open').click();
    const winnerRows = page.getByTestId('result-winner');
    await winnerRows.nth(2).waitFor();
    expect(
      await winnerRows.evaluateAll((rows) =>
        rows.map((r) => [Number(r.getAttribute('data-rank')), Number(r.getAttribute('data-ticket'))]),
      ),
    ).toEqual(
      results.winners.map((w: { prize_rank: number; ticket_number: number }) => [
        w.prize_rank,
        w.ticket_number,
      ]),
    );
    await byTestId('drawing-verify').click();
    await page.locator('[data-testid="verify-result"][data-ok="true"]').waitFor();
    expect(await page.locator('[data-testid="result-winner"][data-match="true"]').count()).toBe(3);
    expect(
      await page.locator('[data-testid="verify-check"][data-check="redraw"][data-ok="true"]').count(),
    ).toBe(1);
    expect(await page.locator('[data-testid="verify-check"][data-ok="false"]').count()).toBe(0);
    expect(
      await page.locator('[data-testid="verify-check"][data-check="beacon"][data-ok="true"]').count(),
    ).toBe(1);

    // A tampered ticket list (Alice's and Bob's tickets swapped) does not verify: its hash differs, and a
    // winner of theirs (three of four owners won) recomputes to the other.
    await page.route('**/ticket-list', async (route) => {
      const csv = await (await route.fetch()).text();
      const swapped = csv
        .replaceAll(alice.user.id, 'ALICE')
        .replaceAll(bob.user.id, alice.user.id)
        .replaceAll('ALICE', bob.user.id);
      await route.fulfill({ status: 200, contentType: 'text/csv', body: swapped });
    });
    await byTestId('drawing-verify').click();
    await page.locator('[data-testid="verify-result"][data-ok="false"]').waitFor();
    expect(
      await page.locator('[data-testid="verify-check"][data-check="tickets_hash"][data-ok="false"]').count(),
    ).toBe(1);
    expect(await page.locator('[data-testid="result-winner"][data-match="false"]').count()).toBeGreaterThan(
      0,
    );
    await page.unroute('**/ticket-list');

    // ---- the winner of the physical prize opens the email's claim link and enters an address
    const rank1 = verify.winners.find((w: { prize_rank: number }) => w.prize_rank === 1);
    const winner = [alice, bob, carol, dave].find((m) => m.user.id === rank1.user_id)!;
    await t.drainJobs();
    const emails = (
      await admin.client
        .get(`/admin/emails?filter[to]=${encodeURIComponent(winner.user.email)}&filter[template]=prize_won`)
        .expect(200)
    ).body.data;
    expect(emails).toHaveLength(1);
    const link = /(http:\/\/\S+#drawings\?fulfillment=[0-9a-f-]{36})/.exec(emails[0].body_text)![1];
    expect(link.startsWith(`${baseUrl}/test/#drawings?fulfillment=`)).toBe(true);
    const fulfillmentId = link.split('=')[1];

    // The link opened while logged out: the tab keeps it and opens the prize once the winner logs in.
    await byTestId('tab-auth').click();
    await byTestId('logout-button').click();
    await byTestId('auth-badge').filter({ hasText: 'Not logged in' }).waitFor();
    await page.goto(link);
    await byTestId('drawings-message').filter({ hasText: 'to claim your prize' }).waitFor();
    expect(page.url()).toBe(`${baseUrl}/test/#drawings`);
    await logIn(winner, 'drawings');
    const claim = byTestId('fulfillment-claim');
    await claim.getByTestId('fulfillment-prize').filter({ hasText: 'Fitness Watch ($250)' }).waitFor();
    expect(await claim.getByTestId('fulfillment-status').textContent()).toBe('winner notified');
    await claim.getByTestId('address-name').fill('Alex Rivera');
    await claim.getByTestId('address-line1').fill('123 Main St');
    await claim.getByTestId('address-city').fill('Springfield');
    await claim.getByTestId('address-state').fill('il');
    await claim.getByTestId('address-zip').fill('6270');
    await claim.getByTestId('address-submit').click();
    await claim
      .getByTestId('address-message')
      .filter({ hasText: 'postal_code must be a US ZIP code' })
      .waitFor();
    await claim.getByTestId('address-zip').fill('62704');
    await claim.getByTestId('address-submit').click();
    await claim.getByTestId('address-message').filter({ hasText: 'Address confirmed' }).waitFor();
    expect(await claim.getByTestId('fulfillment-status').textContent()).toBe('address confirmed');
    const claimed = (await winner.client.get(`/fulfillments/${fulfillmentId}`).expect(200)).body;
    expect(claimed).toMatchObject({
      status: 'address_confirmed',
      prize_name: 'Fitness Watch',
      shipping_address: {
        name: 'Alex Rivera',
        line1: '123 Main St',
        city: 'Springfield',
        state: 'IL',
        postal_code: '62704',
      },
    });

    // ---- admin: W-9, ship; the compliance report and the audit log
    await logIn(admin, 'admin');
    const fulfillment = page.locator(`[data-testid="admin-fulfillment"][data-id="${fulfillmentId}"]`);
    await page
      .locator(
        `[data-testid="admin-fulfillment"][data-id="${fulfillmentId}"][data-status="address_confirmed"]`,
      )
      .waitFor();
    expect(await fulfillment.getByTestId('admin-fulfillment-address').textContent()).toContain(
      'Springfield, IL 62704',
    );
    await fulfillment.getByTestId('admin-w9').click();
    await fulfillment.getByTestId('admin-w9-received').waitFor();
    await fulfillment.getByTestId('admin-ship-carrier').fill('UPS');
    await fulfillment.getByTestId('admin-ship-tracking').fill('1Z999AA10123456784');
    await fulfillment.getByTestId('admin-ship').click();
    await page
      .locator(`[data-testid="admin-fulfillment"][data-id="${fulfillmentId}"][data-status="shipped"]`)
      .waitFor();
    const shipped = (
      await admin.client.get('/admin/fulfillments?filter[status]=shipped&per_page=100').expect(200)
    ).body.data.find((f: { id: string }) => f.id === fulfillmentId);
    expect(shipped).toMatchObject({
      status: 'shipped',
      carrier: 'UPS',
      tracking_number: '1Z999AA10123456784',
    });
    expect(shipped.w9_received_at).not.toBeNull();

    await row.getByTestId('admin-action-compliance').click();
    const report = (await admin.client.get(`/admin/compliance/drawings/${id}`).expect(200)).body;
    expect(report.entries).toEqual({ total: 8, bought: 7, free: 1 });
    const compliance = byTestId('admin-compliance');
    await compliance.getByTestId('compliance-total-value').filter({ hasText: '$285' }).waitFor();
    expect(await compliance.getByTestId('compliance-entries').textContent()).toBe('8');
    expect(await compliance.getByTestId('compliance-bought').textContent()).toBe('7');
    expect(await compliance.getByTestId('compliance-free').textContent()).toBe('1');
    expect(await compliance.getByTestId('compliance-winner').count()).toBe(report.winners.length);

    await byTestId('admin-refresh').click();
    const audit = (await admin.client.get('/admin/audit-log?per_page=20').expect(200)).body.data as Array<{
      action: string;
    }>;
    expect(audit.map((e) => e.action)).toEqual(expect.arrayContaining(['drawing.execute']));
    await page.waitForFunction(
      (expected) =>
        JSON.stringify(
          Array.from(document.querySelectorAll('[data-testid="audit-action"]'), (el) => el.textContent),
        ) === expected,
      JSON.stringify(audit.map((e) => e.action)),
    );
    expect(pageErrors).toEqual([]);
  });
});
