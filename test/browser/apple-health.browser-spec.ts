import type { Page } from 'playwright-core';
import { createUserWithToken, TEST_PASSWORD, type UserWithToken } from '../support/api-client';
import { launchBrowser, type TestBrowser } from '../support/browser';
import { createTestApp, type TestApp, withEnv } from '../support/test-app';
import { freePort } from '../trackers/helpers';

jest.setTimeout(90_000);

/**
 * Apple Health on the Trackers tab with the in-process fake Terra (TERRA_MODE=fake, as after `npm start`):
 * the page shows the SDK token and hands it over as the mobile SDK would; the fake's auth webhook connects.
 */
describe('Apple Health on the Trackers tab in Chromium (fake Terra)', () => {
  let t: TestApp;
  let browser: TestBrowser;
  let page: Page;
  let member: UserWithToken;
  let baseUrl: string;

  beforeAll(async () => {
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    t = await withEnv({ TERRA_MODE: 'fake', APP_BASE_URL: baseUrl }, () => createTestApp());
    await t.app.listen(port, '127.0.0.1');
    member = await createUserWithToken(t);
    browser = await launchBrowser();
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('connects Apple Health through the SDK token', async () => {
    await page.goto(`${baseUrl}/test/`);
    await page.getByTestId('tab-auth').click();
    await page.getByTestId('login-email').fill(member.user.email);
    await page.getByTestId('login-password').fill(TEST_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('auth-badge').filter({ hasText: member.user.email }).waitFor();
    await page.getByTestId('tab-trackers').click();
    await page.getByTestId('trackers-provider').selectOption('apple_health');
    await page.getByTestId('trackers-connect').click();
    await page
      .getByTestId('trackers-sdk-token')
      .filter({ hasText: "Token for Terra's mobile SDK" })
      .waitFor();
    await page.getByTestId('trackers-sdk-connect').click();
    await page.locator('[data-testid="trackers-connection"][data-provider="apple_health"]').waitFor();
    expect(await page.getByTestId('trackers-sdk-token').isVisible()).toBe(false);
  });
});
