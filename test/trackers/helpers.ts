import { type AddressInfo, createServer } from 'node:net';
import { DataSource } from 'typeorm';
import request from 'supertest';
import type { ManualClock } from '@fittrack/core';
import { FakeTerra, type Provider, TrackerConnection, SyncService } from '@fittrack/trackers';
import { createTestApp, type TestApp, withEnv } from '../support/test-app';
import type { ApiClient } from '../support/api-client';

export const TERRA_TEST = {
  devId: 'test-dev-id',
  apiKey: 'test-terra-api-key',
  webhookSecret: 'test-webhook-secret-0123456789',
};

/** The app's environment for Terra in live mode against a fake Terra at `url`, with the test credentials. */
export function terraEnv(url: string): Record<string, string> {
  return {
    TERRA_MODE: 'live',
    TERRA_DEV_ID: TERRA_TEST.devId,
    TERRA_API_KEY: TERRA_TEST.apiKey,
    TERRA_WEBHOOK_SECRET: TERRA_TEST.webhookSecret,
    TERRA_BASE_URL: url,
    TERRA_WIDGET_URL: `${url}/widget/session`,
  };
}

export interface TerraTestApp extends TestApp {
  fake: FakeTerra;
  /** The app listening on a port of its own, so the fake Terra can deliver webhooks over HTTP. */
  baseUrl: string;
  close: () => Promise<void>;
}

/**
 * The real app against a fake Terra on a port of its own (TERRA_MODE=live pointing at it): every call to
 * Terra and every webhook goes over real HTTP. The fake's time is the app's test clock.
 */
export async function createTerraTestApp(
  options: { now?: string; env?: Record<string, string>; port?: number } = {},
): Promise<TerraTestApp> {
  const holder: { clock?: ManualClock } = {};
  const fake = new FakeTerra({ ...TERRA_TEST, now: () => holder.clock?.now() ?? new Date() });
  const terraUrl = await fake.listen(0);
  const t = await withEnv(
    {
      ...terraEnv(terraUrl),
      TERRA_SYNC_BACKOFF_MS: '10',
      TERRA_TIMEOUT_MS: '2000',
      ...options.env,
    },
    () => createTestApp({ now: options.now }),
  );
  holder.clock = t.clock;
  await t.app.listen(options.port ?? 0, '127.0.0.1');
  const port = (t.app.getHttpServer().address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;
  fake.webhookUrl = `${baseUrl}/api/v1/webhooks/terra`;
  return {
    ...t,
    fake,
    baseUrl,
    // Webhooks the fake sends run jobs: wait for both before looking.
    drainJobs: async () => {
      await fake.idle();
      await t.drainJobs();
      await fake.idle();
      await t.drainJobs();
    },
    close: async () => {
      await fake.close();
      await t.close();
    },
  };
}

/** A port free right now: for an app whose own URL (APP_BASE_URL) must be known before it boots. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Where a redirect points, as a path for supertest. */
export const pathOf = (location: string) => {
  const url = new URL(location);
  return `${url.pathname}${url.search}`;
};

/**
 * The whole web flow: initiate, open the fake widget, approve (or deny), follow Terra's redirect to our
 * callback. Returns the callback's answer and the new Terra user id.
 */
export async function connectThroughWidget(
  t: TerraTestApp,
  client: ApiClient,
  provider: Exclude<Provider, 'apple_health'>,
  action: 'approve' | 'deny' = 'approve',
) {
  const initiated = await client.post(`/connections/${provider}/initiate`).expect(200);
  const authUrl: string = initiated.body.auth_url;
  const page = await request(authUrl).get('').expect(200);
  if (!page.text.includes('Approve')) throw new Error('The widget page has no Approve button');
  const decided = await request(authUrl).post('').type('form').send({ action }).expect(302);
  const location = new URL(decided.headers.location as string);
  const callback = await t.http().get(pathOf(location.toString()));
  return { callback, terraUserId: location.searchParams.get('user_id'), location, initiated };
}

export const connectionsOf = (t: TestApp, userId: string) =>
  t.app.get(DataSource).getRepository(TrackerConnection).find({ where: { userId }, withDeleted: true });

export const syncService = (t: TestApp) => t.app.get(SyncService);
