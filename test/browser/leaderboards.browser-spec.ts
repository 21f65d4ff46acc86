import { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { createUserWithToken, TEST_PASSWORD, type UserWithToken } from '../support/api-client';
import { launchBrowser, type TestBrowser } from '../support/browser';
import { createTestApp, type TestApp } from '../support/test-app';
import { createMember, earn, type Member } from '../leaderboards/members';

jest.setTimeout(90_000);

/** `1d 02:03:04` or `02:03:04` (the tab's countdown) in seconds. */
function seconds(countdown: string): number {
  const match = /Next reset in (?:(\d+)d )?(\d\d):(\d\d):(\d\d)$/.exec(countdown);
  if (!match) throw new Error(`Not a countdown: ${countdown}`);
  const [days, hours, minutes, secs] = match.slice(1).map((part) => Number(part ?? 0));
  return ((days * 24 + hours) * 60 + minutes) * 60 + secs;
}

/**
 * The Leaderboards tab in Chromium on live data. The page's clock is Playwright's (installed at the app's
 * test time before the page loads), so the countdown and the 60 s auto-refresh run on demand.
 */
describe('the Leaderboards tab in Chromium', () => {
  let t: TestApp;
  let browser: TestBrowser;
  let page: Page;
  let me: UserWithToken;
  let baseUrl: string;
  let monthOnly: Member;
  let allTimeOnly: Member;
  let otherTier: Member;
  /** Board requests the page made (GET /leaderboards/{period}), for the auto-refresh checks. */
  let boardRequests = 0;

  const rows = () => page.getByTestId('lb-row');
  const ranks = () => page.locator('[data-testid="lb-rows"] tr td:first-child').allTextContents();
  const summary = (text: string) => page.getByTestId('lb-summary').filter({ hasText: text }).waitFor();
  const myPosition = (text: string) => page.getByTestId('lb-my-position').filter({ hasText: text }).waitFor();

  beforeAll(async () => {
    t = await createTestApp({ now: '2026-01-16T20:00:00Z' }); // Friday afternoon in New York
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    me = await createUserWithToken(t);
    // Into F-40-49-ADV, ranked 5th of 12 this week.
    await me.client
      .put('/users/me/profile')
      .send({ biological_sex: 'female', date_of_birth: '1980-04-04', fitness_level: 'advanced' })
      .expect(200);
    const myTier = { sex: 'female', dateOfBirth: '1980-04-04', fitness: 'advanced' } as const;
    for (let i = 0; i < 11; i++) {
      const other = await createMember(t, myTier);
      await earn(t, other.user, i < 4 ? 900 - i * 10 : 500 - i * 10, '2026-01-15');
    }
    await earn(t, me.user, 700, '2026-01-16');
    // Earlier this month (so on the monthly and all-time boards only), and last year (all-time only).
    monthOnly = await createMember(t, { ...myTier, name: 'Early January' });
    await earn(t, monthOnly.user, 2000, '2026-01-05');
    allTimeOnly = await createMember(t, { ...myTier, name: 'Last December' });
    await earn(t, allTimeOnly.user, 3000, '2025-12-20');
    otherTier = await createMember(t, { sex: 'male', dateOfBirth: '1990-05-15', name: 'Other Tier' });
    await earn(t, otherTier.user, 321, '2026-01-16');

    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on('request', (request) => {
      if (/\/api\/v1\/leaderboards\/\w+/.test(request.url())) boardRequests++;
    });
    await page.clock.install({ time: t.clock.now() });
    await page.goto(`${baseUrl}/test/`);
    await page.getByTestId('tab-auth').click();
    await page.getByTestId('login-email').fill(me.user.email);
    await page.getByTestId('login-password').fill(TEST_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-message').filter({ hasText: 'Logged in' }).waitFor();
    await page.getByTestId('tab-leaderboards').click();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('preselects my tier and highlights my row at my rank, with medals for the top 3', async () => {
    const mine = page.locator('[data-testid="lb-rows"] tr[data-me="true"]');
    await mine.waitFor();
    expect(await page.getByTestId('lb-tier').inputValue()).toBe('F-40-49-ADV');
    expect(await page.getByTestId('lb-period').inputValue()).toBe('weekly');
    await expect(mine.locator('td').first().textContent()).resolves.toBe('5');
    await expect(mine.getAttribute('class')).resolves.toBe('highlight');
    await expect(mine.locator('td').nth(2).textContent()).resolves.toBe('700');
    await expect(page.getByTestId('lb-my-position').textContent()).resolves.toContain('#5');
    expect((await ranks()).slice(0, 4)).toEqual(['🥇 1', '🥈 2', '🥉 3', '4']);
    // The ranks around mine: 1..15 (±10, from the top), mine among them.
    expect(await page.getByTestId('lb-around-row').count()).toBe(12);
    // A name opens the public profile (the week's leader: third of all time, behind two earlier earners).
    await rows().first().getByTestId('lb-name').click();
    await page.getByTestId('lb-profile').waitFor({ state: 'visible' });
    await expect(page.getByTestId('lb-profile').textContent()).resolves.toContain(
      'All-time rank in tier: #3',
    );
    await page.getByTestId('lb-profile').getByRole('button', { name: 'Close' }).click();
    await page.getByTestId('lb-profile').waitFor({ state: 'hidden' });
  });

  it('the period selector shows each period’s board; the tier selector browses another tier', async () => {
    const period = page.getByTestId('lb-period');
    await period.selectOption('daily');
    await summary('daily · F-40-49-ADV · 1 users');
    await myPosition('#1 with 700 points');
    expect(await ranks()).toEqual(['🥇 1']);

    await period.selectOption('monthly');
    await summary('monthly · F-40-49-ADV · 13 users');
    await myPosition('#6 with 700 points');
    expect(await rows().first().getByTestId('lb-name').textContent()).toBe('Early January');
    expect(await rows().first().locator('td').nth(2).textContent()).toBe('2,000');

    await period.selectOption('alltime');
    await summary('alltime · F-40-49-ADV · 14 users');
    await myPosition('#7 with 700 points');
    expect(await rows().nth(0).getByTestId('lb-name').textContent()).toBe('Last December');
    expect(await rows().nth(1).getByTestId('lb-name').textContent()).toBe('Early January');

    await period.selectOption('weekly');
    await summary('weekly · F-40-49-ADV · 12 users');
    await myPosition('#5 with 700 points');

    // Another tier's board: its own members, and I am neither ranked nor highlighted there.
    await page.getByTestId('lb-tier').selectOption('M-30-39-INT');
    await summary('weekly · M-30-39-INT · 1 users');
    expect(await rows().getByTestId('lb-name').allTextContents()).toEqual(['Other Tier']);
    expect(await page.getByTestId('lb-my-position').isHidden()).toBe(true);
    expect(await page.locator('[data-testid="lb-rows"] tr[data-me="true"]').count()).toBe(0);
    expect(await page.getByTestId('lb-around').isHidden()).toBe(true);

    await page.getByTestId('lb-tier').selectOption('F-40-49-ADV');
    await summary('weekly · F-40-49-ADV · 12 users');
    await myPosition('#5 with 700 points');
  });

  it('pages through the board, 10 rows a page', async () => {
    await page.getByTestId('lb-page-info').filter({ hasText: 'Page 1 of 2' }).waitFor();
    expect(await ranks()).toEqual(['🥇 1', '🥈 2', '🥉 3', '4', '5', '6', '7', '8', '9', '10']);
    expect(await page.getByTestId('lb-prev').isDisabled()).toBe(true);

    await page.getByTestId('lb-next').click();
    await page.getByTestId('lb-page-info').filter({ hasText: 'Page 2 of 2' }).waitFor();
    expect(await ranks()).toEqual(['11', '12']);
    expect(await page.getByTestId('lb-next').isDisabled()).toBe(true);
    // My position and the ranks around it do not depend on the page shown.
    await myPosition('#5 with 700 points');

    await page.getByTestId('lb-prev').click();
    await page.getByTestId('lb-page-info').filter({ hasText: 'Page 1 of 2' }).waitFor();
    expect((await ranks())[0]).toBe('🥇 1');
    expect(await page.getByTestId('lb-prev').isDisabled()).toBe(true);
  });

  it('counts down to the selected period’s next reset', async () => {
    // Time stands still from here on; it moves when the test says.
    // (a few seconds ahead of the page's time: it flows until the pause, however slow the machine)
    const pausedAt = (await page.evaluate(() => Date.now())) + 5_000;
    await page.clock.pauseAt(pausedAt);
    await page.clock.runFor(1000);
    const countdown = page.getByTestId('lb-countdown');
    // The weekly board resets on Monday 19 January at 00:00 in New York.
    const left = seconds((await countdown.textContent()) ?? '');
    const expected = (Date.parse('2026-01-19T05:00:00Z') - (pausedAt + 1000)) / 1000;
    expect(Math.abs(left - expected)).toBeLessThanOrEqual(1);
    await page.clock.runFor(60_000);
    expect(seconds((await countdown.textContent()) ?? '')).toBe(left - 60);
    // The daily board at 00:00 on Saturday 17 January in New York.
    await page.getByTestId('lb-period').selectOption('daily');
    await summary('daily · F-40-49-ADV');
    const daily = seconds((await countdown.textContent()) ?? '');
    expect(Math.abs(daily - (left - 60 - (2 * 24 + 0) * 3600))).toBeLessThanOrEqual(1);
    expect(await countdown.textContent()).toMatch(/^Next reset in \d\d:\d\d:\d\d$/); // under a day
    await page.getByTestId('lb-period').selectOption('alltime');
    await countdown.filter({ hasText: 'All-time: never resets' }).waitFor();
    await page.getByTestId('lb-period').selectOption('weekly');
    await myPosition('#5 with 700 points');
  });

  it('auto-refresh on: an award made after the page loaded shows 60 s later; off: it does not', async () => {
    // Page time is paused (previous test): timers fire only as the test moves the clock.
    const refresh = page.getByTestId('lb-auto-refresh');
    await refresh.check();
    await earn(t, me.user, 250, '2026-01-16');
    boardRequests = 0;
    await page.clock.runFor(59_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(boardRequests).toBe(0);
    await myPosition('#5 with 700 points');
    await page.clock.runFor(1_000);
    await myPosition('#1 with 950 points');
    expect(boardRequests).toBe(1);
    await page
      .locator('[data-testid="lb-rows"] tr[data-me="true"] td')
      .first()
      .filter({ hasText: '🥇 1' })
      .waitFor();

    await refresh.uncheck();
    await earn(t, me.user, 50, '2026-01-16');
    boardRequests = 0;
    await page.clock.runFor(180_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(boardRequests).toBe(0);
    await myPosition('#1 with 950 points');
    // The award was there to be seen: loading by hand shows it.
    await page.getByTestId('lb-load').click();
    await myPosition('#1 with 1,000 points');
  });

  it('a slower answer for a board no longer selected does not replace the one selected after it', async () => {
    await page.route('**/api/v1/leaderboards/daily?**', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 800));
      await route.continue();
    });
    try {
      const dailyAnswered = page.waitForResponse((response) =>
        response.url().includes('/leaderboards/daily'),
      );
      await page.getByTestId('lb-period').selectOption('daily');
      await page.getByTestId('lb-period').selectOption('monthly');
      await summary('monthly · F-40-49-ADV · 13 users');
      await dailyAnswered;
      await new Promise((resolve) => setTimeout(resolve, 300)); // time to (not) show it
      expect(await page.getByTestId('lb-summary').textContent()).toBe('monthly · F-40-49-ADV · 13 users');
    } finally {
      await page.unroute('**/api/v1/leaderboards/daily?**');
    }
  });

  it('past the reset by its own clock (ahead of the server’s), the tab reloads once, not every second', async () => {
    await page.getByTestId('lb-period').selectOption('weekly');
    await myPosition('#1 with 1,000 points');
    boardRequests = 0;
    // The page's clock jumps past Monday 00:00 in New York; the app's clock is still on Friday.
    await page.clock.pauseAt(Date.parse('2026-01-19T05:00:01Z'));
    await page.getByTestId('lb-countdown').filter({ hasText: 'Next reset in 00:00:00' }).waitFor();
    await page.clock.runFor(10_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(boardRequests).toBe(1);
  });
});
