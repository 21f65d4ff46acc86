import type { Page } from 'playwright-core';
import { createUserWithToken, TEST_PASSWORD, type UserWithToken } from '../support/api-client';
import { launchBrowser, type TestBrowser } from '../support/browser';
import { createTerraTestApp, freePort, type TerraTestApp } from '../trackers/helpers';

// Read inside the page (waitForFunction): the browser's document, not Node's.
declare const document: { querySelector(selector: string): { textContent: string | null } | null };

jest.setTimeout(90_000);

/**
 * The Trackers tab in Chromium against the real app and a fake Terra over HTTP: connect through the fake's
 * widget (Approve redirects to our callback, which returns to the tab), sync, and read the activity log
 * with each record's points and its ledger entries and metrics.
 */
describe('the Trackers tab in Chromium', () => {
  let t: TerraTestApp;
  let browser: TestBrowser;
  let page: Page;
  let member: UserWithToken;
  let baseUrl: string;

  beforeAll(async () => {
    // The callback URL given to the widget is built from APP_BASE_URL: the app's port must be known first.
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    t = await createTerraTestApp({ now: '2026-11-20T12:00:00Z', port, env: { APP_BASE_URL: baseUrl } });
    member = await createUserWithToken(t);
    browser = await launchBrowser();
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const stepsPoints = async () =>
    Number(
      (
        await page
          .locator('[data-testid="trackers-activity"][data-type="steps"]')
          .first()
          .getByTestId('trackers-activity-points')
          .textContent()
      )?.replace(/,/g, ''),
    );

  async function logIn() {
    await page.getByTestId('tab-auth').click();
    await page.getByTestId('login-email').fill(member.user.email);
    await page.getByTestId('login-password').fill(TEST_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('auth-badge').filter({ hasText: member.user.email }).waitFor();
    await page.getByTestId('tab-trackers').click();
  }

  it('connects through the fake widget, syncs, and shows activities with their points', async () => {
    await page.goto(`${baseUrl}/test/`);
    await logIn();
    await page.getByTestId('trackers-connections').filter({ hasText: 'No trackers connected' }).waitFor();
    await page.getByTestId('trackers-provider').selectOption('fitbit');
    await page.getByTestId('trackers-connect').click();

    // Terra's widget (the fake's page, another origin): approve; Terra redirects to our callback, then back.
    await page.waitForURL(`${t.fake.url}/widget/**`);
    expect(await page.locator('#provider').textContent()).toBe('FITBIT');
    await page.locator('#approve').click();
    await page.waitForURL(`${baseUrl}/test/**#trackers`);
    await page.getByTestId('trackers-message').filter({ hasText: 'Fitbit connected' }).waitFor();
    expect(page.url()).toBe(`${baseUrl}/test/#trackers`);

    const connection = page.locator('[data-testid="trackers-connection"][data-provider="fitbit"]');
    await connection.waitFor();
    expect(await connection.getByTestId('trackers-primary').textContent()).toBe('primary');

    // The first sync runs in the background: refresh until its activities are in the log.
    await t.drainJobs();
    await page.getByTestId('trackers-refresh').click();
    await connection.getByTestId('trackers-status').filter({ hasText: 'ok' }).waitFor();
    expect(await connection.getByTestId('trackers-last-sync').textContent()).not.toBe('never');
    await page.locator('[data-testid="trackers-activity"][data-type="steps"]').first().waitFor();
    const before = await stepsPoints();
    expect(before).toBeGreaterThan(0);

    // Three hours later the day's running total has grown: a manual sync pays the difference.
    // (The access token has expired by then: log in again.)
    t.clock.advance(3 * 3_600_000);
    await logIn();
    await connection.getByTestId('trackers-sync').click();
    await page.getByTestId('trackers-message').filter({ hasText: 'Sync of Fitbit queued' }).waitFor();
    // The tab watches the connection until the sync settles, then reloads the log.
    await page.waitForFunction((earlier) => {
      const cell = document.querySelector(
        '[data-testid="trackers-activity"][data-type="steps"] [data-testid="trackers-activity-points"]',
      );
      return Number(cell?.textContent?.replace(/,/g, '')) > earlier;
    }, before);

    // A record's breakdown: its ledger entries (the first payment and the top-up) add up to its points.
    const steps = page.locator('[data-testid="trackers-activity"][data-type="steps"]').first();
    const points = await stepsPoints();
    await steps.getByTestId('trackers-activity-open').click();
    const detail = page.getByTestId('trackers-activity-detail');
    await detail.getByTestId('trackers-detail-entry').nth(1).waitFor();
    const amounts = (await detail.getByTestId('trackers-detail-entry').allTextContents()).length;
    expect(amounts).toBe(2);
    const entryAmounts = await detail
      .locator('[data-testid="trackers-detail-entry"] td.num')
      .allTextContents();
    expect(entryAmounts.reduce((sum, text) => sum + Number(text.replace(/[+,]/g, '')), 0)).toBe(points);
    const metrics = JSON.parse((await detail.getByTestId('trackers-detail-metrics').textContent())!);
    expect(metrics.steps).toBeGreaterThan(0);
    // How the rules price it: the steps' base, the multiplier, and what it comes to.
    expect(await detail.getByTestId('trackers-detail-breakdown').textContent()).toMatch(
      new RegExp(`^base [\\d,.]+ × [\\d.]+ = [\\d,]+ · = ${points.toLocaleString('en-US')} points$`),
    );
  });

  it('asks before disconnecting; the activities stay', async () => {
    const connection = page.locator('[data-testid="trackers-connection"][data-provider="fitbit"]');
    await connection.getByTestId('trackers-disconnect').click();
    const confirm = page.getByTestId('trackers-confirm');
    await confirm.getByTestId('trackers-confirm-cancel').click();
    expect(await confirm.count()).toBe(0);
    expect(await connection.count()).toBe(1);

    await connection.getByTestId('trackers-disconnect').click();
    await confirm.getByTestId('trackers-confirm-yes').click();
    await page.getByTestId('trackers-connections').filter({ hasText: 'No trackers connected' }).waitFor();
    expect(await page.getByTestId('trackers-activity').count()).toBeGreaterThan(0);
  });
});
