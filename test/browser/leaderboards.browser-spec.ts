import { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { createUserWithToken, TEST_PASSWORD, type UserWithToken } from '../support/api-client';
import { launchBrowser, type TestBrowser } from '../support/browser';
import { createTestApp, type TestApp } from '../support/test-app';
import { createMember, earn } from '../leaderboards/members';

/** The page's DOM, as used inside page.waitForFunction callbacks (which run in the browser). */
declare const document: {
  querySelector(selector: string): { textContent: string | null; className?: string } | null;
};

jest.setTimeout(60_000);

describe('the Leaderboards tab in Chromium', () => {
  let t: TestApp;
  let browser: TestBrowser;
  let page: Page;
  let me: UserWithToken;
  let baseUrl: string;

  beforeAll(async () => {
    t = await createTestApp({ now: '2026-01-16T20:00:00Z' });
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    me = await createUserWithToken(t);
    // Into F-40-49-ADV, ranked 5th of 12 this week.
    await me.client
      .put('/users/me/profile')
      .send({ biological_sex: 'female', date_of_birth: '1980-04-04', fitness_level: 'advanced' })
      .expect(200);
    for (let i = 0; i < 11; i++) {
      const other = await createMember(t, { sex: 'female', dateOfBirth: '1980-04-04', fitness: 'advanced' });
      await earn(t, other.user, i < 4 ? 900 - i * 10 : 500 - i * 10, '2026-01-15');
    }
    await earn(t, me.user, 700, '2026-01-16');
    browser = await launchBrowser();
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('preselects my tier and highlights my row at my rank, with medals for the top 3', async () => {
    await page.goto(`${baseUrl}/test/`);
    await page.getByTestId('tab-auth').click();
    await page.getByTestId('login-email').fill(me.user.email);
    await page.getByTestId('login-password').fill(TEST_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForFunction(() =>
      /Logged in/.test(document.querySelector('[data-testid="login-message"]')?.textContent ?? ''),
    );
    await page.getByTestId('tab-leaderboards').click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="lb-rows"] tr[data-me="true"]') !== null,
    );
    expect(await page.getByTestId('lb-tier').inputValue()).toBe('F-40-49-ADV');
    const mine = page.locator('[data-testid="lb-rows"] tr[data-me="true"]');
    await expect(mine.locator('td').first().textContent()).resolves.toBe('5');
    await expect(mine.getAttribute('class')).resolves.toBe('highlight');
    await expect(mine.locator('td').nth(2).textContent()).resolves.toBe('700');
    await expect(page.getByTestId('lb-my-position').textContent()).resolves.toContain('#5');
    await expect(page.getByTestId('lb-row').first().locator('td').first().textContent()).resolves.toBe(
      '🥇 1',
    );
    // The ranks around mine: 1..15 (±10, from the top), mine among them.
    expect(await page.getByTestId('lb-around-row').count()).toBe(12);
    await expect(page.getByTestId('lb-countdown').textContent()).resolves.toMatch(/Next reset in/);
    // A name opens the public profile.
    await page.getByTestId('lb-name').first().click();
    await page.getByTestId('lb-profile').waitFor({ state: 'visible' });
    await expect(page.getByTestId('lb-profile').textContent()).resolves.toContain(
      'All-time rank in tier: #1',
    );
  });
});
