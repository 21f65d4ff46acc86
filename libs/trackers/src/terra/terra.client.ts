import { Injectable } from '@nestjs/common';
import { Terra, TerraClient as TerraSdk, TerraError, TerraTimeoutError } from 'terra-api';
import { TerraCallError, terraHttpError } from './terra-errors';

/** Where and as whom we call Terra (the live API, or a fake Terra standing in). */
export interface TerraEndpoint {
  baseUrl: string;
  widgetUrl: string;
  devId: string;
  apiKey: string;
  timeoutMs: number;
}

export interface WidgetSession {
  sessionId: string;
  url: string;
  expiresIn: number;
}

export interface WidgetSessionRequest {
  /** Terra provider names, e.g. FITBIT. */
  providers: string[];
  referenceId: string;
  successUrl: string;
  failureUrl: string;
}

/** A window of days to fetch (`YYYY-MM-DD`, both inclusive). */
export interface DayWindow {
  startDate: string;
  endDate: string;
}

/**
 * Terra's API through its official SDK (`terra-api`), except the widget session: its SDK call still posts to
 * the deprecated `/auth/generateWidgetSession`, so that one is a small typed fetch to TERRA_WIDGET_URL
 * (the new `/widget/session` by default; the legacy URL takes the same body). The SDK's own retries are off:
 * retries belong to the job queue, which knows retryable from permanent (TerraCallError).
 */
@Injectable()
export class TerraClient {
  private readonly sdk: TerraSdk;

  constructor(private readonly endpoint: TerraEndpoint) {
    this.sdk = new TerraSdk({ baseUrl: endpoint.baseUrl, devId: endpoint.devId, apiKey: endpoint.apiKey });
  }

  async createWidgetSession(request: WidgetSessionRequest): Promise<WidgetSession> {
    const body = await this.fetchJson('widget session', this.endpoint.widgetUrl, {
      method: 'POST',
      body: JSON.stringify({
        providers: request.providers.join(','),
        reference_id: request.referenceId,
        auth_success_redirect_url: request.successUrl,
        auth_failure_redirect_url: request.failureUrl,
        language: 'en',
      }),
    });
    const session = body as { session_id?: unknown; url?: unknown; expires_in?: unknown };
    if (typeof session.url !== 'string' || typeof session.session_id !== 'string') {
      throw new TerraCallError('Terra widget session answered without a url or session_id', true, null);
    }
    return {
      sessionId: session.session_id,
      url: session.url,
      expiresIn: typeof session.expires_in === 'number' ? session.expires_in : 900,
    };
  }

  /** A single-use token for Terra's mobile SDK (Apple Health), bound to our user id. */
  async generateAuthToken(referenceId: string): Promise<{ token: string; expiresIn: number }> {
    const response = await this.call('auth token', () =>
      this.sdk.authentication.generateauthtoken({
        ...this.options(),
        queryParams: { reference_id: referenceId },
      }),
    );
    if (!response.token) throw new TerraCallError('Terra auth token answered without a token', true, null);
    return { token: response.token, expiresIn: response.expires_in ?? 180 };
  }

  /** The Terra user, or null when Terra does not know it (404). */
  async userInfo(terraUserId: string): Promise<Terra.TerraUser | null> {
    try {
      const response = await this.call('user info', () =>
        this.sdk.user.getinfoforuserid({ user_id: terraUserId }, this.options()),
      );
      return Array.isArray(response) ? (response[0] ?? null) : (response.user ?? null);
    } catch (error) {
      if (error instanceof TerraCallError && error.status === 404) return null;
      throw error;
    }
  }

  /** Deauthenticates a Terra user; an unknown one (404) is already gone. */
  async deauthenticate(terraUserId: string): Promise<void> {
    try {
      await this.call('deauthenticate', () =>
        this.sdk.authentication.deauthenticateuser({ user_id: terraUserId }, this.options()),
      );
    } catch (error) {
      if (error instanceof TerraCallError && error.status === 404) return;
      throw error;
    }
  }

  async fetchDaily(terraUserId: string, window: DayWindow): Promise<Terra.Daily[]> {
    const response = await this.call('daily', () =>
      this.sdk.daily.fetch(
        { user_id: terraUserId, start_date: window.startDate, end_date: window.endDate, to_webhook: false },
        this.options(),
      ),
    );
    return dataOf<Terra.Daily>(response);
  }

  async fetchActivity(terraUserId: string, window: DayWindow): Promise<Terra.Activity[]> {
    const response = await this.call('activity', () =>
      this.sdk.activity.fetch(
        { user_id: terraUserId, start_date: window.startDate, end_date: window.endDate, to_webhook: false },
        this.options(),
      ),
    );
    return dataOf<Terra.Activity>(response);
  }

  private options() {
    return { timeoutInSeconds: this.endpoint.timeoutMs / 1000, maxRetries: 0 };
  }

  /** Runs an SDK call, mapping its failures to TerraCallError. */
  private async call<T>(what: string, run: () => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await run();
    } catch (error) {
      if (error instanceof TerraTimeoutError) {
        throw new TerraCallError(`Terra ${what} timed out after ${this.endpoint.timeoutMs} ms`, true, null);
      }
      if (error instanceof TerraError) {
        // No status (network), or a success status whose body was not JSON: worth another try.
        if (error.statusCode === undefined || error.statusCode < 400) {
          throw new TerraCallError(`Terra ${what} failed: ${error.message.slice(0, 200)}`, true, null);
        }
        const retryAfter = error.rawResponse?.headers?.get('retry-after') ?? null;
        throw terraHttpError(what, error.statusCode, error.body, retryAfter);
      }
      throw new TerraCallError(`Terra ${what} failed: ${String(error).slice(0, 200)}`, true, null);
    }
    // A 200 whose body is not JSON comes back from the SDK as `{ok: false, error: {reason: 'non-json'}}`:
    // a broken answer, worth another try.
    const broken =
      (result as { ok?: unknown; error?: { reason?: unknown } } | null)?.error?.reason === 'non-json';
    if (typeof result !== 'object' || result === null || broken) {
      throw new TerraCallError(`Terra ${what} answered malformed JSON`, true, null);
    }
    return result;
  }

  private async fetchJson(what: string, url: string, init: RequestInit): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(url, {
        ...init,
        headers: {
          'content-type': 'application/json',
          'dev-id': this.endpoint.devId,
          'x-api-key': this.endpoint.apiKey,
        },
        signal: AbortSignal.timeout(this.endpoint.timeoutMs),
      });
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError';
      throw new TerraCallError(
        timedOut
          ? `Terra ${what} timed out after ${this.endpoint.timeoutMs} ms`
          : `Terra ${what} unreachable`,
        true,
        null,
      );
    }
    const text = await response.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      if (response.ok)
        throw new TerraCallError(`Terra ${what} answered malformed JSON`, true, response.status);
    }
    if (!response.ok) throw terraHttpError(what, response.status, body, response.headers.get('retry-after'));
    return body;
  }
}

/** `data` of a fetch answer; Terra's "sent to webhook" / "processing" answers carry none. */
function dataOf<T>(response: unknown): T[] {
  const data = (response as { data?: unknown } | null)?.data;
  return Array.isArray(data) ? (data as T[]) : [];
}
