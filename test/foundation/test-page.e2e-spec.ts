import { createTestApp, productionEnv, TestApp, withEnv } from '../support/test-app';

/** Boots the app with the given environment overrides for `run`. */
const withApp = <T>(env: Record<string, string>, run: (t: TestApp) => Promise<T>): Promise<T> =>
  withEnv(env, async () => {
    const t = await createTestApp();
    try {
      return await run(t);
    } finally {
      await t.close();
    }
  });

describe('the HTML test page', () => {
  it('is served at /test/ with its assets, and /test redirects there', async () => {
    await withApp({}, async (t) => {
      const page = await t.http().get('/test/').expect(200);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.text).toContain('data-testid="tab-list"');
      await t.http().get('/test/js/app.js').expect(200);
      await t.http().get('/test/vendor/prism/prism.js').expect(200);
      const redirect = await t.http().get('/test').expect(301);
      expect(redirect.headers.location).toBe('/test/');
      const withQuery = await t.http().get('/test?tab=reports').expect(301);
      expect(withQuery.headers.location).toBe('/test/?tab=reports');
    });
  });

  it('is 404 when FEATURE_HTML_TEST_PAGE=false', async () => {
    await withApp({ FEATURE_HTML_TEST_PAGE: 'false' }, async (t) => {
      const res = await t.http().get('/test/').expect(404);
      expect(res.text).not.toContain('data-testid');
      expect(res.headers['content-type']).toContain('application/problem+json');
      await t.http().get('/test').expect(404);
      await t.http().get('/test/vendor/prism/prism.js').expect(404);
    });
  });

  it('is 404 in production', async () => {
    await withApp(productionEnv(), async (t) => {
      const res = await t.http().get('/test/').expect(404);
      expect(res.text).not.toContain('data-testid');
      await t.http().get('/test').expect(404);
    });
  });
});
