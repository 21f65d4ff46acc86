import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { addDays, datesBetween, syntheticDaily, syntheticWorkouts } from './fake-terra-data';
import { signTerraPayload } from './terra-signature';

export interface FakeTerraOptions {
  devId: string;
  apiKey: string;
  webhookSecret: string;
  /** Our webhook endpoint; settable later (a test app learns its port after listening). */
  webhookUrl?: string;
  /** The fake's "now" for synthetic data and signature timestamps. */
  now?: () => Date;
}

export interface FakeTerraUser {
  user_id: string;
  provider: string;
  reference_id: string;
  scopes: string;
  active: boolean;
  created_at: string;
  last_webhook_update: string | null;
  /** Data calls answer 401 (the user revoked access at the provider). */
  revoked: boolean;
}

/** One scripted answer to the next matching call: an error status, a delay (timeouts) or a broken body. */
export interface FakeFault {
  status?: number;
  retryAfterSeconds?: number;
  delayMs?: number;
  malformed?: boolean;
}

interface WidgetSession {
  id: string;
  providers: string[];
  referenceId: string;
  successUrl: string;
  failureUrl: string;
  expiresAt: number;
}

const CHUNK_SIZE = 10;

/**
 * A fake Terra: a real HTTP server speaking the endpoints and payload shapes we use (terra.md, "The fake
 * Terra"): widget sessions with an Approve/Deny page, auth tokens and `POST /sdk/connect` for Apple Health,
 * user info and deauthentication, `daily`/`activity` with deterministic synthetic data, signed webhooks
 * (chunked by 10 with a shared `terra-reference`), and fault knobs. It knows only users that approved
 * through its widget or were created through its test controls; others are 404, as at Terra.
 */
export class FakeTerra {
  readonly users = new Map<string, FakeTerraUser>();
  /** Calls received per path (`/daily`) and per Terra user and path (`<user id>/daily`). */
  readonly calls = new Map<string, number>();
  webhookUrl: string | undefined;
  private readonly sessions = new Map<string, WidgetSession>();
  private readonly sdkTokens = new Map<string, { referenceId: string; expiresAt: number }>();
  private readonly faults = new Map<string, FakeFault[]>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private server: Server | undefined;
  private baseUrl = '';

  constructor(private readonly options: FakeTerraOptions) {
    this.webhookUrl = options.webhookUrl;
  }

  get url(): string {
    return this.baseUrl;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    const app = this.app();
    await new Promise<void>((resolve, reject) => {
      this.server = app.listen(port, host, () => resolve());
      this.server.once('error', reject);
    });
    const address = this.server!.address() as AddressInfo;
    this.baseUrl = `http://${host}:${address.port}`;
    return this.baseUrl;
  }

  async close(): Promise<void> {
    await this.idle();
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  /** Resolves when every webhook the fake has started sending is delivered (or failed). */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  /** Calls received for one Terra user on one path, e.g. `callsFor(id, '/daily')`. */
  callsFor(userId: string, path: string): number {
    return this.calls.get(`${userId}${path}`) ?? 0;
  }

  // --- test controls (also over HTTP under /test, for the test page and other processes)

  createUser(provider: string, referenceId: string, userId: string = randomUUID()): FakeTerraUser {
    const user: FakeTerraUser = {
      user_id: userId,
      provider,
      reference_id: referenceId,
      scopes: 'activity,daily',
      active: true,
      created_at: this.now().toISOString(),
      last_webhook_update: null,
      revoked: false,
    };
    this.users.set(user.user_id, user);
    return user;
  }

  /** The user revoked access at the provider: data calls answer 401. */
  revoke(userId: string): void {
    const user = this.users.get(userId);
    if (user) user.revoked = true;
  }

  /** The next calls whose path starts with `pathPrefix` (e.g. `/daily`) answer these faults, in order. */
  injectFaults(pathPrefix: string, faults: FakeFault[]): void {
    this.faults.set(pathPrefix, [...(this.faults.get(pathPrefix) ?? []), ...faults]);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** Signs and posts one webhook body; resolves with our endpoint's status. */
  async sendWebhook(
    payload: unknown,
    options: { reference?: string; signature?: string; timestamp?: number } = {},
  ): Promise<number> {
    if (!this.webhookUrl) throw new Error('FakeTerra has no webhook URL');
    const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
    const timestamp = options.timestamp ?? Math.floor(this.now().getTime() / 1000);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'terra-signature': options.signature ?? signTerraPayload(body, this.options.webhookSecret, timestamp),
      'x-terra-trace-id': randomUUID(),
    };
    if (options.reference) headers['terra-reference'] = options.reference;
    const response = await fetch(this.webhookUrl, { method: 'POST', headers, body });
    await response.arrayBuffer();
    return response.status;
  }

  /** Pushes a user's data of these dates by webhook, as Terra does: chunks of ≤ 10 sharing a terra-reference. */
  async pushData(userId: string, type: 'daily' | 'activity', dates: string[]): Promise<number[]> {
    const user = this.users.get(userId);
    if (!user) throw new Error(`FakeTerra: unknown user ${userId}`);
    const data = this.dataFor(type, userId, dates);
    const reference = randomUUID();
    const statuses: number[] = [];
    for (let i = 0; i < Math.max(1, data.length); i += CHUNK_SIZE) {
      statuses.push(
        await this.sendWebhook(
          { type, user: this.publicUser(user), data: data.slice(i, i + CHUNK_SIZE), version: '2022-03-16' },
          { reference },
        ),
      );
    }
    return statuses;
  }

  dataFor(type: 'daily' | 'activity', userId: string, dates: string[]): unknown[] {
    const now = this.now();
    return type === 'daily'
      ? dates.map((date) => syntheticDaily(userId, date, now)).filter((d) => d !== null)
      : dates.flatMap((date) => syntheticWorkouts(userId, date, now));
  }

  private publicUser(user: FakeTerraUser) {
    return {
      user_id: user.user_id,
      provider: user.provider,
      reference_id: user.reference_id,
      scopes: user.scopes,
      active: user.active,
      created_at: user.created_at,
      last_webhook_update: user.last_webhook_update,
    };
  }

  /** Webhooks the fake sends on its own (auth, deauth) go out in the background, like Terra's. */
  private sendInBackground(payload: unknown): void {
    if (!this.webhookUrl) return;
    const sending = this.sendWebhook(payload)
      .catch(() => undefined)
      .finally(() => this.inFlight.delete(sending));
    this.inFlight.add(sending);
  }

  private app(): express.Express {
    const app = express();
    app.disable('x-powered-by');
    app.use(express.json({ limit: '1mb' }));
    app.use(express.urlencoded({ extended: false }));

    // --- the widget (public, like Terra's hosted page)
    app.get('/widget/:id', (req, res) => {
      const session = this.sessions.get(req.params.id);
      if (!session || session.expiresAt < this.now().getTime()) {
        res.status(404).type('text/plain').send('Widget session not found or expired');
        return;
      }
      res.type('html').send(widgetPage(session));
    });
    app.post('/widget/:id', (req, res, next) => {
      // POST /widget/session is Terra's API (below, behind the credentials check).
      if (req.params.id === 'session') return next();
      const session = this.sessions.get(req.params.id);
      if (!session || session.expiresAt < this.now().getTime()) {
        res.status(404).type('text/plain').send('Widget session not found or expired');
        return;
      }
      this.sessions.delete(session.id);
      const provider = session.providers[0] ?? 'FITBIT';
      if (req.body?.action !== 'approve') {
        res.redirect(
          302,
          withParams(session.failureUrl, { resource: provider, reference_id: session.referenceId }),
        );
        return;
      }
      const user = this.createUser(provider, session.referenceId);
      this.sendInBackground({
        type: 'auth',
        status: 'success',
        user: this.publicUser(user),
        reference_id: session.referenceId,
        widget_session_id: session.id,
        message: 'User has successfully authenticated',
        version: '2022-03-16',
      });
      res.redirect(
        302,
        withParams(session.successUrl, {
          user_id: user.user_id,
          resource: provider,
          reference_id: session.referenceId,
        }),
      );
    });

    // --- test controls
    app.post('/sdk/connect', (req, res) => {
      const token = String(req.body?.token ?? '');
      const grant = this.sdkTokens.get(token);
      this.sdkTokens.delete(token);
      if (!grant || grant.expiresAt < this.now().getTime()) {
        res.status(401).json({ status: 'error', message: 'Invalid or expired token' });
        return;
      }
      const user = this.createUser('APPLE', grant.referenceId);
      this.sendInBackground({
        type: 'auth',
        status: 'success',
        user: this.publicUser(user),
        reference_id: grant.referenceId,
        version: '2022-03-16',
      });
      res.json({ status: 'success', user_id: user.user_id });
    });
    app.post('/test/users', (req, res) => {
      const user = this.createUser(
        String(req.body?.provider ?? 'FITBIT'),
        String(req.body?.reference_id ?? ''),
      );
      res.status(201).json(this.publicUser(user));
    });
    app.post('/test/revoke', (req, res) => {
      this.revoke(String(req.body?.user_id ?? ''));
      res.json({ status: 'success' });
    });
    app.post('/test/faults', (req, res) => {
      this.injectFaults(
        String(req.body?.path ?? '/'),
        Array.isArray(req.body?.faults) ? req.body.faults : [],
      );
      res.json({ status: 'success' });
    });

    // --- Terra's API: dev-id and x-api-key on every call
    app.use((req, res, next) => {
      if (req.get('dev-id') !== this.options.devId || req.get('x-api-key') !== this.options.apiKey) {
        res.status(401).json({ status: 'error', message: 'unauthorized: bad dev-id or x-api-key' });
        return;
      }
      next();
    });
    app.use((req, _res, next) => {
      // Every call counts, faulted ones too: per path, and per path and Terra user.
      this.calls.set(req.path, (this.calls.get(req.path) ?? 0) + 1);
      const key = `${String(req.query.user_id ?? '')}${req.path}`;
      this.calls.set(key, (this.calls.get(key) ?? 0) + 1);
      next();
    });
    app.use((req, res, next) => this.applyFault(req, res, next));

    const createSession = (status: number) => (req: express.Request, res: express.Response) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const providers = (
        Array.isArray(body.providers) ? body.providers.join(',') : String(body.providers ?? '')
      )
        .split(',')
        .map((p) => p.trim().toUpperCase())
        .filter(Boolean);
      const session: WidgetSession = {
        id: randomUUID(),
        providers,
        referenceId: String(body.reference_id ?? ''),
        successUrl: String(body.auth_success_redirect_url ?? ''),
        failureUrl: String(body.auth_failure_redirect_url ?? ''),
        expiresAt: this.now().getTime() + 900_000,
      };
      this.sessions.set(session.id, session);
      res.status(status).json({
        session_id: session.id,
        url: `${this.baseUrl}/widget/${session.id}`,
        status: 'success',
        expires_in: 900,
        ...(status === 201 ? { warnings: [] } : {}),
      });
    };
    app.post('/widget/session', createSession(201));
    app.post('/auth/generateWidgetSession', createSession(200));

    const authToken = (req: express.Request, res: express.Response) => {
      const token = randomUUID();
      this.sdkTokens.set(token, {
        referenceId: String(req.query.reference_id ?? ''),
        expiresAt: this.now().getTime() + 180_000,
      });
      res.json({ status: 'success', token, expires_in: 180 });
    };
    app.post('/auth/generateAuthToken', authToken);
    app.post('/auth/tokens', authToken);

    app.get('/userInfo', (req, res) => {
      const user = this.users.get(String(req.query.user_id ?? ''));
      if (!user) return notFound(res);
      res.json({
        user: this.publicUser(user),
        status: 'success',
        is_authenticated: user.active && !user.revoked,
      });
    });
    app.delete('/auth/deauthenticateUser', (req, res) => {
      const user = this.users.get(String(req.query.user_id ?? ''));
      if (!user) return notFound(res);
      this.users.delete(user.user_id);
      this.sendInBackground({
        type: 'deauth',
        status: 'success',
        user: this.publicUser(user),
        message: 'User has deauthenticated',
        version: '2022-03-16',
      });
      res.json({ status: 'success' });
    });

    for (const type of ['daily', 'activity'] as const) {
      app.get(`/${type}`, (req, res) => {
        const user = this.users.get(String(req.query.user_id ?? ''));
        if (!user) return notFound(res);
        if (user.revoked) {
          res.status(401).json({ type: 'about:blank', title: 'Unauthorized', detail: 'User access revoked' });
          return;
        }
        const start = dateParam(req.query.start_date);
        const end = dateParam(req.query.end_date) ?? this.now().toISOString().slice(0, 10);
        if (!start || end < start) {
          res
            .status(400)
            .json({ type: 'about:blank', title: 'Bad Request', detail: 'Invalid start_date or end_date' });
          return;
        }
        const dates = datesBetween(start, end);
        res.json({ user: this.publicUser(user), data: this.dataFor(type, user.user_id, dates), type });
      });
    }
    return app;
  }

  private applyFault(req: express.Request, res: express.Response, next: express.NextFunction): void {
    const entry = [...this.faults].find(([prefix, queue]) => req.path.startsWith(prefix) && queue.length > 0);
    const fault = entry?.[1].shift();
    if (!fault) return next();
    const answer = () => {
      if (fault.malformed) {
        res.status(200).type('application/json').send('{"data": [ {"metadata": ');
      } else if (fault.status) {
        if (fault.retryAfterSeconds !== undefined) res.set('Retry-After', String(fault.retryAfterSeconds));
        const detail = fault.status === 429 ? 'rate limit exceeded' : 'service unavailable';
        res.status(fault.status).json({ detail });
      } else next();
    };
    if (fault.delayMs) setTimeout(answer, fault.delayMs);
    else answer();
  }
}

function notFound(res: express.Response): void {
  res.status(404).json({ status: 'error', message: 'User not found' });
}

/** `YYYY-MM-DD`, or unix seconds, as a UTC date. */
function dateParam(value: unknown): string | null {
  const text = String(value ?? '');
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return text;
  if (/^\d{9,11}$/.test(text)) return new Date(Number(text) * 1000).toISOString().slice(0, 10);
  return null;
}

function withParams(url: string, params: Record<string, string>): string {
  const target = new URL(url);
  for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
  return target.toString();
}

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

function widgetPage(session: WidgetSession): string {
  const provider = escapeHtml(session.providers.join(', ') || 'a tracker');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Fake Terra: connect ${provider}</title></head>
<body style="font-family: sans-serif; max-width: 32rem; margin: 3rem auto">
<h1>Fake Terra</h1><p>FitTrack asks to read your activity from <strong id="provider">${provider}</strong>.</p>
<form method="post"><input type="hidden" name="action" value="approve"><button id="approve" type="submit">Approve</button></form>
<form method="post"><input type="hidden" name="action" value="deny"><button id="deny" type="submit">Deny</button></form>
</body></html>`;
}

export { addDays };
