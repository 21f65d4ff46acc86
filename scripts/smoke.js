#!/usr/bin/env node
/**
 * Smoke test of a running FitTrack API: `npm run smoke -- --base-url http://127.0.0.1:8000`.
 * Health (live, ready), register, verify (through the development mailbox, when the app has one), log in,
 * /users/me, leaderboards, drawings, and an admin action (a points adjustment of the new user, replayed with
 * its idempotency key). One line per step; exits 1 when any step fails. Plain Node (no build needed).
 *
 * The admin: SMOKE_ADMIN_EMAIL / SMOKE_ADMIN_PASSWORD (default: the development admin of docs/seed-data.md,
 * or one made with `npm run cli -- create-admin`). Production has no mailbox (404): the new user cannot be
 * verified there, so the user's reads run with the admin's token and the step says so. Never prints a secret.
 */
/* global fetch, AbortSignal */
/* eslint-disable no-console -- a command-line report, on stdout */
const { randomUUID } = require('node:crypto');
const { performance } = require('node:perf_hooks');

function argument(name) {
  const index = process.argv.indexOf(`--${name}`);
  if (index >= 0) return process.argv[index + 1];
  const inline = process.argv.find((arg) => arg.startsWith(`--${name}=`));
  return inline?.slice(name.length + 3);
}

const baseUrl = (argument('base-url') || process.env.SMOKE_BASE_URL || '').replace(/\/+$/, '');
const timeoutMs = Number(argument('timeout-ms') || 10_000);
const admin = {
  email: process.env.SMOKE_ADMIN_EMAIL || 'admin@fittrack.local',
  password: process.env.SMOKE_ADMIN_PASSWORD || 'FitTrack-Admin-2026!',
};

if (!baseUrl) {
  console.error('usage: npm run smoke -- --base-url http://127.0.0.1:8000 [--timeout-ms 10000]');
  process.exit(2);
}

class StepError extends Error {}

/** One request; JSON body parsed when there is one. Fails the step on a status not in `expect`. */
async function call(method, path, { token, body, headers = {}, expect = [200] } = {}) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      'x-request-id': `smoke-${randomUUID()}`,
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!expect.includes(response.status)) {
    // The problem's detail says why; bodies of successful answers (tokens) are never printed.
    const detail = typeof json?.detail === 'string' ? `: ${json.detail}` : '';
    throw new StepError(`${method} ${path} answered ${response.status}${detail}`);
  }
  return { status: response.status, body: json };
}

function check(condition, message) {
  if (!condition) throw new StepError(message);
}

const results = [];
async function step(name, run) {
  const started = performance.now();
  try {
    const note = await run();
    const ms = Math.round(performance.now() - started);
    results.push(true);
    console.log(`ok    ${name} (${ms} ms)${note ? ` - ${note}` : ''}`);
  } catch (error) {
    results.push(false);
    const reason = error instanceof StepError ? error.message : `${error.name}: ${error.message}`;
    console.log(`FAIL  ${name} - ${reason}`);
  }
}

async function main() {
  console.log(`FitTrack smoke test against ${baseUrl}`);
  const state = {};

  await step('GET /health/live', async () => {
    await call('GET', '/health/live');
  });
  await step('GET /health/ready', async () => {
    const { body } = await call('GET', '/health/ready', { expect: [200, 503] });
    const down = Object.entries(body?.checks ?? {})
      .filter(([, check]) => check.status !== 'up')
      .map(([name, check]) => `${name} (${check.error ?? 'down'})`);
    check(down.length === 0, `not ready: ${down.join(', ')}`);
    return `checks: ${Object.keys(body.checks).join(', ')}`;
  });
  await step('admin login', async () => {
    const { body } = await call('POST', '/api/v1/auth/login', { body: admin });
    check(typeof body?.access_token === 'string', 'no access_token in the answer');
    state.adminToken = body.access_token;
  });

  const user = {
    email: `smoke+${Date.now()}-${randomUUID().slice(0, 8)}@example.com`,
    password: `Smoke-${randomUUID().slice(0, 12)}-9a!`,
  };
  await step('register a new user', async () => {
    const { body } = await call('POST', '/api/v1/auth/register', {
      body: { ...user, date_of_birth: '1990-05-17', state: 'TX', display_name: 'Smoke Test' },
      expect: [201],
    });
    check(typeof body?.user_id === 'string', 'no user_id in the answer');
    state.userId = body.user_id;
    return `user ${body.user_id}`;
  });
  await step('verify the email (development mailbox)', async () => {
    check(state.adminToken && state.userId, 'needs the admin login and the registration');
    const query = `filter[to]=${encodeURIComponent(user.email)}&filter[template]=verification&per_page=1`;
    // The verification email is written in the registration's transaction; its delivery is a job.
    const mailbox = await call('GET', `/api/v1/admin/emails?${query}`, {
      token: state.adminToken,
      expect: [200, 404],
    });
    if (mailbox.status === 404) {
      state.userToken = state.adminToken;
      return 'skipped: this app has no development mailbox (production); user reads use the admin';
    }
    const email = mailbox.body?.data?.[0];
    check(email, 'no verification email in the mailbox');
    const token = /verify_token=([A-Za-z0-9_-]+)/.exec(email.body_text ?? '')?.[1];
    check(token, 'no verification link in the email');
    await call('POST', '/api/v1/auth/verify-email', { body: { token } });
    state.verified = true;
  });
  if (state.verified) {
    await step('login as the new user', async () => {
      const { body } = await call('POST', '/api/v1/auth/login', { body: user });
      check(typeof body?.access_token === 'string', 'no access_token in the answer');
      state.userToken = body.access_token;
    });
  }
  await step('GET /users/me', async () => {
    check(state.userToken, 'needs a login');
    const { body } = await call('GET', '/api/v1/users/me', { token: state.userToken });
    check(typeof body?.id === 'string' || typeof body?.user_id === 'string', 'no id in /users/me');
    state.tier = body?.profile?.tier_code ?? body?.tier_code;
  });
  await step('GET /leaderboards', async () => {
    check(state.userToken, 'needs a login');
    const { body } = await call('GET', '/api/v1/leaderboards', { token: state.userToken });
    check(Array.isArray(body?.data ?? body), 'no list of boards');
    await call('GET', '/api/v1/leaderboards/weekly?tier=OPEN', { token: state.userToken });
  });
  await step('GET /drawings', async () => {
    check(state.userToken, 'needs a login');
    const { body } = await call('GET', '/api/v1/drawings', { token: state.userToken });
    check(Array.isArray(body?.data), 'no data array');
    return `${body.meta?.total ?? body.data.length} drawings`;
  });
  await step('admin action: adjust the new user points (idempotent)', async () => {
    check(state.adminToken && state.userId, 'needs the admin login and the registration');
    const key = `smoke-${randomUUID()}`;
    const request = {
      token: state.adminToken,
      headers: { 'idempotency-key': key },
      body: { amount: 1, reason: 'smoke test' },
      expect: [200, 201],
    };
    const first = await call('POST', `/api/v1/admin/users/${state.userId}/points/adjust`, request);
    const replay = await call('POST', `/api/v1/admin/users/${state.userId}/points/adjust`, request);
    check(first.body?.point_balance === 1, `balance ${first.body?.point_balance}, expected 1`);
    check(
      replay.body?.replayed === true && replay.body?.point_balance === 1,
      'the replay was not recognised',
    );
  });

  const failed = results.filter((ok) => !ok).length;
  console.log(`${results.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
