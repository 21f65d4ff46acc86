import { randomUUID } from 'node:crypto';
import { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { LedgerService } from '@fittrack/points';
import { createUserWithToken, TEST_PASSWORD, type UserWithToken } from '../support/api-client';
import { launchBrowser, type TestBrowser } from '../support/browser';
import { createTestApp, type TestApp } from '../support/test-app';

jest.setTimeout(60_000);

/** The Points tab on live data: balance, today against the cap, the ledger; an admin's adjustment. */
describe('the Points tab in Chromium', () => {
  let t: TestApp;
  let browser: TestBrowser;
  let page: Page;
  let member: UserWithToken;
  let admin: UserWithToken;
  let baseUrl: string;

  beforeAll(async () => {
    t = await createTestApp({ now: '2026-11-20T15:00:00Z' });
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    member = await createUserWithToken(t);
    admin = await createUserWithToken(t, { role: 'admin' });
    const ledger = t.app.get(LedgerService);
    for (const [amount, earnedOn] of [
      [120, '2026-11-20'],
      [80, '2026-11-19'],
    ] as const) {
      await ledger.post({
        userId: member.user.id,
        type: 'earn',
        amount,
        reference: { type: 'activity', id: randomUUID() },
        description: `Award of ${amount}`,
        idempotencyKey: `browser:${randomUUID()}`,
        earnedOn,
      });
    }
    browser = await launchBrowser();
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function logIn(email: string) {
    await page.getByTestId('tab-auth').click();
    await page.getByTestId('login-email').fill(email);
    await page.getByTestId('login-password').fill(TEST_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('auth-badge').filter({ hasText: email }).waitFor();
  }

  it('shows the balance, today against the cap and the ledger with sequence and balance_after', async () => {
    await page.goto(`${baseUrl}/test/`);
    await logIn(member.user.email);
    await page.getByTestId('tab-points').click();
    await page.getByTestId('points-balance').filter({ hasText: '200' }).waitFor();
    expect(await page.getByTestId('points-today').textContent()).toBe('120 / 1,000');
    const rows = page.getByTestId('points-ledger-row');
    await rows.first().waitFor();
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-sequence')))).toEqual([
      '2',
      '1',
    ]);
    expect(await page.getByTestId('points-balance-after').allTextContents()).toEqual(['200', '120']);
    expect(await page.getByTestId('points-admin').isVisible()).toBe(false);
  });

  it("lets an admin adjust a member's points; the member's ledger shows it", async () => {
    await logIn(admin.user.email);
    await page.getByTestId('tab-points').click();
    await page.getByTestId('points-admin').waitFor();
    await page.getByTestId('adjust-user').fill(member.user.id);
    await page.getByTestId('adjust-amount').fill('-50');
    await page.getByTestId('adjust-reason').fill('Duplicate upload');
    await page.getByTestId('adjust-submit').click();
    await page.getByTestId('adjust-message').filter({ hasText: 'Balance now 150' }).waitFor();
    await logIn(member.user.email);
    await page.getByTestId('tab-points').click();
    await page.getByTestId('points-balance').filter({ hasText: '150' }).waitFor();
    expect(await page.getByTestId('points-balance-after').first().textContent()).toBe('150');
  });
});
