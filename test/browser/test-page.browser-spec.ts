import { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { createUserWithToken, TEST_PASSWORD, UserWithToken } from '../support/api-client';
import { launchBrowser, TestBrowser } from '../support/browser';
import { createTestApp, TestApp } from '../support/test-app';

/** The page's DOM, as used inside page.waitForFunction callbacks (which run in the browser). */
declare const document: { querySelector(selector: string): { textContent: string | null } | null };

jest.setTimeout(60_000);

describe('the HTML test page in Chromium', () => {
  let t: TestApp;
  let browser: TestBrowser;
  let page: Page;
  let admin: UserWithToken;
  let baseUrl: string;

  const byTestId = (id: string) => page.getByTestId(id);

  /** Waits for the shared response panel to show a finished request and returns its status and body. */
  async function lastResponse(request: RegExp): Promise<{ status: string; body: string }> {
    await page.waitForFunction(
      (pattern) =>
        new RegExp(pattern).test(
          document.querySelector('[data-testid="response-request"]')?.textContent ?? '',
        ) &&
        /^(\d{3}|ERR)$/.test(document.querySelector('[data-testid="response-status"]')?.textContent ?? ''),
      request.source,
    );
    return {
      status: (await byTestId('response-status').textContent())!.trim(),
      body: (await byTestId('response-body').textContent())!,
    };
  }

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    admin = await createUserWithToken(t, { role: 'admin' });
    browser = await launchBrowser();
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('loads at /test (redirected to /test/) with its tabs', async () => {
    const response = await page.goto(`${baseUrl}/test`);
    expect(response?.status()).toBe(200);
    expect(page.url()).toBe(`${baseUrl}/test/`);
    await expect(byTestId('tab-list').isVisible()).resolves.toBe(true);
    // The tab bar is built by the page's module script: wait for it rather than race it.
    await byTestId('tab-api-tester').waitFor({ state: 'attached' });
    for (const tab of ['api-tester', 'auth', 'leaderboards', 'reports', 'data-controls']) {
      expect(await byTestId(`tab-${tab}`).count()).toBe(1);
    }
    await expect(byTestId('auth-badge').textContent()).resolves.toContain('Not logged in');
  });

  it('switches tabs', async () => {
    await byTestId('tab-reports').click();
    await byTestId('panel-reports').waitFor({ state: 'visible' });
    expect(await byTestId('panel-api-tester').isVisible()).toBe(false);
    await byTestId('tab-api-tester').click();
    await byTestId('panel-api-tester').waitFor({ state: 'visible' });
    expect(await byTestId('panel-reports').isVisible()).toBe(false);
  });

  it('logs in as an admin through the Authentication tab', async () => {
    await byTestId('tab-auth').click();
    await byTestId('login-email').fill(admin.user.email);
    await byTestId('login-password').fill(TEST_PASSWORD);
    await byTestId('login-submit').click();
    await page.waitForFunction(() =>
      /Logged in/.test(document.querySelector('[data-testid="login-message"]')?.textContent ?? ''),
    );
    await expect(byTestId('auth-badge').textContent()).resolves.toContain(admin.user.email);
  });

  it('lists users in the API Tester (200 and a JSON page)', async () => {
    await byTestId('tab-api-tester').click();
    await byTestId('entity-select').selectOption('users');
    await byTestId('list-button').click();
    const { status, body } = await lastResponse(/^GET \/api\/v1\/users/);
    expect(status).toBe('200');
    const json = JSON.parse(body) as { data: Array<{ email: string }>; meta: { total: number } };
    expect(json.data.map((user) => user.email)).toContain(admin.user.email);
    expect(json.meta.total).toBeGreaterThanOrEqual(1);
  });

  it('creates a user through the form and then finds it in the list', async () => {
    await byTestId('create-example').click();
    const created = JSON.parse(await byTestId('create-body').inputValue()) as { email: string };
    await byTestId('create-button').click();
    const creation = await lastResponse(/^POST \/api\/v1\/users/);
    expect(creation.status).toBe('201');
    expect(JSON.parse(creation.body)).toMatchObject({ email: created.email });

    await byTestId('list-sort').fill('-created_at');
    await byTestId('list-per-page').fill('100');
    await byTestId('list-button').click();
    const { status, body } = await lastResponse(/^GET \/api\/v1\/users\?.*sort=-created_at/);
    expect(status).toBe('200');
    const emails = (JSON.parse(body) as { data: Array<{ email: string }> }).data.map((u) => u.email);
    expect(emails).toContain(created.email);
  });

  it('the Reports tab shows the same numbers as GET /api/v1/reports/summary', async () => {
    await byTestId('tab-reports').click();
    await byTestId('reports-load').click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="report-card-users-value"]')?.textContent !== '—',
    );
    const api = await admin.client.get('/reports/summary').expect(200);
    const counts = api.body.counts as Record<string, number>;
    expect(counts.users).toBeGreaterThanOrEqual(2);
    for (const key of ['users', 'activities', 'drawings', 'tickets']) {
      const shown = await byTestId(`report-card-${key}-value`).textContent();
      expect({ key, shown }).toEqual({ key, shown: counts[key].toLocaleString('en-US') });
    }
  });

  it('the Leaderboards tab shows what the API answers: its error (e.g. 404) and no rows, never made-up rankings', async () => {
    const api = await admin.client
      .get('/leaderboards/weekly')
      .query({ tier: 'M-30-39-INT', page: 1, per_page: 10 });
    await byTestId('tab-leaderboards').click();
    await byTestId('lb-load').click();
    const shown = await lastResponse(/^GET \/api\/v1\/leaderboards\/weekly/);
    expect(shown.status).toBe(String(api.status));
    if (api.status >= 400) {
      await byTestId('lb-message').waitFor({ state: 'visible' });
      await expect(byTestId('lb-message').textContent()).resolves.toContain(api.body.detail);
      expect(await byTestId('lb-row').count()).toBe(0);
    } else {
      await page.waitForFunction(
        () => document.querySelector('[data-testid="lb-summary"]')?.textContent !== '',
      );
      expect(await byTestId('lb-row').count()).toBe(api.body.rankings.length);
    }
  });
});
