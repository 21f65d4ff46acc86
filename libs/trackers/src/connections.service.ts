import { Injectable, Logger } from '@nestjs/common';
import {
  type AppConfig,
  BadRequestError,
  type Caller,
  Clock,
  ConflictError,
  ForbiddenError,
  InjectConfig,
  isUniqueViolation,
  JobName,
  NotFoundError,
  QueuePort,
  SecretBox,
  ServiceUnavailableError,
  TooManyRequestsError,
  UnitOfWork,
  userIdOf,
} from '@fittrack/core';
import { EmailService } from '@fittrack/notifications';
import { ConnectionsRepository } from './connections.repository';
import { ConnectStateSigner } from './connections.state';
import { type Provider, TrackerConnection } from './entities/tracker-connection.entity';
import { providerFromTerra, TERRA_PROVIDER } from './terra/terra-normaliser';
import { TerraClient } from './terra/terra.client';
import { TerraRuntime } from './terra/terra.providers';
import { TerraCallError } from './terra/terra-errors';

/** Sync jobs: 3 attempts with exponential backoff (TERRA_SYNC_BACKOFF_MS), for retryable errors only. */
export const SYNC_ATTEMPTS = 3;
export const MANUAL_SYNC_INTERVAL_MS = 5 * 60_000;
export const MANUAL_SYNC_LIMIT = 'Manual sync allowed once per 5 minutes';
/** How long a connect `state` stays valid: Terra's widget session lives 15 minutes. */
const STATE_TTL_SECONDS = 15 * 60;

export type InitiateResult =
  { auth_url: string; session_id: string } | { sdk_token: string; expires_in: number };

export interface SyncJob {
  connectionId: string;
  /** How often a 429's Retry-After has deferred this sync already. */
  deferrals?: number;
}

export interface DeauthJob {
  terraUserId: string;
}

/** Terra's query on the redirect back to us, plus our own state. */
export interface CallbackQuery {
  state?: string;
  user_id?: string;
  resource?: string;
  outcome?: string;
}

const PROVIDER_NAMES: Record<Provider, string> = {
  fitbit: 'Fitbit',
  google_fit: 'Google Fit',
  apple_health: 'Apple Health',
};

/**
 * Tracker connections through Terra: initiate (widget session or SDK token), the callback and the `auth`
 * webhook (either may come first; together they make one connection), primary, delete, manual sync, and
 * Terra telling us a user moved (`user_reauth`) or is gone (deauth, revoked: reconnect email).
 */
@Injectable()
export class ConnectionsService {
  private readonly logger = new Logger(ConnectionsService.name);

  constructor(
    private readonly connections: ConnectionsRepository,
    private readonly terra: TerraClient,
    private readonly runtime: TerraRuntime,
    private readonly states: ConnectStateSigner,
    private readonly box: SecretBox,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly queue: QueuePort,
    private readonly email: EmailService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  list(caller: Caller): Promise<TrackerConnection[]> {
    return this.connections.listLive(this.userOf(caller));
  }

  async initiate(provider: Provider, caller: Caller): Promise<InitiateResult> {
    const userId = this.userOf(caller);
    try {
      if (provider === 'apple_health') {
        const { token, expiresIn } = await this.terra.generateAuthToken(userId);
        return { sdk_token: token, expires_in: expiresIn };
      }
      const state = this.states.sign({
        userId,
        provider,
        exp: Math.floor(this.clock.now().getTime() / 1000) + STATE_TTL_SECONDS,
      });
      const callback = `${this.config.publicBaseUrl.replace(/\/$/, '')}/api/v1/connections/${provider}/callback`;
      const session = await this.terra.createWidgetSession({
        providers: [TERRA_PROVIDER[provider]],
        referenceId: userId,
        successUrl: `${callback}?state=${state}`,
        failureUrl: `${callback}?state=${state}&outcome=denied`,
      });
      return { auth_url: session.url, session_id: session.sessionId };
    } catch (error) {
      throw this.unavailable(error);
    }
  }

  /**
   * Fake mode only (the test page): plays Terra's mobile SDK with an Apple Health token, as the fake's
   * `POST /sdk/connect` does (terra.md); Terra's `auth` webhook then creates the connection. The page cannot
   * post to the fake's origin itself (CSP: its own origin only). Outside fake mode the route does not exist.
   */
  async fakeSdkConnect(sdkToken: string, caller: Caller): Promise<void> {
    this.userOf(caller);
    if (this.config.terra.mode !== 'fake') throw new NotFoundError('Route');
    let status: number;
    try {
      const response = await fetch(`${this.runtime.baseUrl}/sdk/connect`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: sdkToken }),
        signal: AbortSignal.timeout(this.config.terra.timeoutMs),
      });
      status = response.status;
    } catch (error) {
      throw this.unavailable(error);
    }
    if (status === 401) throw new BadRequestError('Invalid or expired SDK token');
    if (status !== 200) throw this.unavailable(new Error(`fake Terra answered ${status}`));
  }

  /**
   * Terra's redirect after the widget. The state must be ours and unexpired (else 400); the Terra user must
   * be one Terra confirms for this user and provider (a forged `user_id` cannot attach someone else's data).
   * Answers where to send the browser.
   */
  async callback(provider: Provider, query: CallbackQuery): Promise<string> {
    const state = this.states.verify(query.state, Math.floor(this.clock.now().getTime() / 1000));
    if (!state || state.provider !== provider) throw new BadRequestError('Invalid or expired state');
    if (query.outcome === 'denied' || !query.user_id) return this.appUrl({ provider, connect: 'denied' });
    let terraUser;
    try {
      terraUser = await this.terra.userInfo(query.user_id);
    } catch (error) {
      throw this.unavailable(error);
    }
    if (
      !terraUser ||
      terraUser.reference_id !== state.userId ||
      providerFromTerra(terraUser.provider) !== provider
    ) {
      throw new BadRequestError('Terra did not confirm this connection');
    }
    await this.connect(state.userId, provider, query.user_id, terraUser);
    return this.appUrl({ provider, connect: 'connected' });
  }

  /** Terra's `auth` webhook: `reference_id` is our user id. */
  async handleAuthEvent(event: {
    status?: string;
    reference_id?: string;
    user?: { user_id?: string; provider?: string; reference_id?: string };
  }): Promise<void> {
    const userId = event.reference_id ?? event.user?.reference_id;
    const provider = providerFromTerra(event.user?.provider);
    const terraUserId = event.user?.user_id;
    if (event.status !== 'success' || !userId || !provider || !terraUserId) {
      this.logger.log(`Terra auth event ignored (status ${event.status ?? 'none'})`);
      return;
    }
    if (!(await this.connections.recipientOf(userId))) {
      this.logger.warn('Terra auth event for an unknown user ignored');
      return;
    }
    await this.connect(userId, provider, terraUserId, event.user ?? {});
  }

  /**
   * Creates the connection (the user's first is primary), or moves the user's live one of this provider
   * to a new Terra user. Idempotent: the callback and the `auth` webhook both call it. Queues an immediate
   * sync when something changed.
   */
  async connect(
    userId: string,
    provider: Provider,
    terraUserId: string,
    details: object,
  ): Promise<TrackerConnection> {
    const sealed = this.box.seal(JSON.stringify(details));
    const work = () =>
      this.unitOfWork.run(async () => {
        const existing = await this.connections.findLive(userId, provider);
        if (existing?.terraUserId === terraUserId) return { connection: existing, changed: false };
        const owner = await this.connections.findByTerraUser(terraUserId);
        if (owner && owner.id !== existing?.id)
          throw new ConflictError('This tracker account is already connected');
        const fields = {
          terraUserId,
          syncStatus: 'pending' as const,
          lastError: null,
          reconnectRequired: false,
          providerDataEncrypted: sealed.value,
          encryptionKeyId: sealed.keyId,
        };
        if (existing)
          return { connection: await this.connections.update(existing.id, fields), changed: true };
        const live = await this.connections.listLive(userId);
        const connection = await this.connections.create({
          userId,
          provider,
          isPrimary: live.length === 0,
          ...fields,
        });
        return { connection, changed: true };
      });
    let result;
    try {
      result = await work();
    } catch (error) {
      // The callback and the webhook raced to insert: the loser finds the winner's row.
      if (!isUniqueViolation(error)) throw error;
      result = await work();
    }
    if (result.changed) await this.enqueueSync(result.connection.id, `connect:${terraUserId}`);
    return result.connection;
  }

  async setPrimary(provider: Provider, caller: Caller): Promise<TrackerConnection> {
    const userId = this.userOf(caller);
    return this.unitOfWork.run(async () => {
      const connection = await this.connections.findLive(userId, provider);
      if (!connection) throw new NotFoundError('Connection');
      await this.connections.makePrimary(userId, connection.id);
      return (await this.connections.get(connection.id))!;
    });
  }

  /** Deletes the connection (activities stay); another becomes primary; Terra is told through the queue. */
  async remove(provider: Provider, caller: Caller): Promise<void> {
    const userId = this.userOf(caller);
    const removed = await this.unitOfWork.run(async () => {
      const connection = await this.connections.findLive(userId, provider);
      if (!connection) throw new NotFoundError('Connection');
      await this.connections.softDelete(connection.id);
      if (connection.isPrimary) await this.connections.promoteOldest(userId);
      return connection;
    });
    if (removed.terraUserId) {
      await this.queue.enqueue<DeauthJob>(
        JobName.DeauthenticateTerraUser,
        { terraUserId: removed.terraUserId },
        { jobId: `terra-deauth:${removed.id}`, attempts: 3, backoffMs: 5_000 },
      );
    }
  }

  /** 202 path: queues a sync now; one manual sync per connection per 5 minutes (429 with Retry-After). */
  async requestSync(provider: Provider, caller: Caller): Promise<void> {
    const userId = this.userOf(caller);
    const connection = await this.connections.findLive(userId, provider);
    if (!connection) throw new NotFoundError('Connection');
    if (connection.reconnectRequired) throw new ConflictError('Reconnect this tracker before syncing');
    const now = this.clock.now();
    if (
      !(await this.connections.claimManualSync(
        connection.id,
        now,
        new Date(now.getTime() - MANUAL_SYNC_INTERVAL_MS),
      ))
    ) {
      const last = (await this.connections.get(connection.id))?.lastManualSyncAt ?? now;
      const wait = Math.max(
        1,
        Math.ceil((new Date(last).getTime() + MANUAL_SYNC_INTERVAL_MS - now.getTime()) / 1000),
      );
      throw new TooManyRequestsError(MANUAL_SYNC_LIMIT, wait);
    }
    await this.enqueueSync(connection.id, `manual:${now.getTime()}`);
  }

  /** `user_reauth`: the same person has a new Terra user id (reinstall, new device); history stays. */
  async moveTerraUser(oldTerraUserId: string, newTerraUserId: string): Promise<void> {
    const moved = await this.unitOfWork.run(async () => {
      const connection = await this.connections.findByTerraUser(oldTerraUserId);
      if (!connection) return null;
      return this.connections.update(connection.id, {
        terraUserId: newTerraUserId,
        reconnectRequired: false,
        syncStatus: 'pending',
        lastError: null,
      });
    });
    if (moved) await this.enqueueSync(moved.id, `reauth:${newTerraUserId}`);
  }

  /**
   * Terra no longer serves this connection (401/404 on sync, deauth, access revoked, connection error): it
   * goes to `error`, waits for the user to reconnect (no more syncs or retries), and the user gets one
   * email: only the change into that state sends it.
   */
  async markRefused(connectionId: string, reason: string): Promise<void> {
    const outboxId = await this.unitOfWork.run(async () => {
      const connection = await this.connections.get(connectionId);
      if (!connection || !(await this.connections.claimReconnectRequired(connection.id, reason))) return null;
      const recipient = await this.connections.recipientOf(connection.userId);
      if (!recipient) return null;
      return this.email.record(recipient.email, 'tracker_reconnect', {
        name: recipient.name,
        provider: PROVIDER_NAMES[connection.provider],
        url: this.appUrl({ provider: connection.provider, connect: 'reconnect' }),
      });
    });
    if (outboxId) await this.email.dispatch(outboxId);
  }

  async markRefusedByTerraUser(terraUserId: string, reason: string): Promise<void> {
    const connection = await this.connections.findByTerraUser(terraUserId);
    if (connection) await this.markRefused(connection.id, reason);
  }

  async deauthenticate(job: DeauthJob): Promise<void> {
    await this.terra.deauthenticate(job.terraUserId);
  }

  async enqueueSync(
    connectionId: string,
    key: string,
    options: { delayMs?: number; deferrals?: number } = {},
  ) {
    await this.queue.enqueue<SyncJob>(
      JobName.SyncConnection,
      { connectionId, deferrals: options.deferrals },
      {
        jobId: `sync:${connectionId}:${key}`,
        attempts: SYNC_ATTEMPTS,
        backoffMs: this.config.terra.syncBackoffMs,
        delayMs: options.delayMs,
      },
    );
  }

  private userOf(caller: Caller): string {
    const userId = userIdOf(caller);
    if (!userId) throw new ForbiddenError('Tracker connections belong to a user');
    return userId;
  }

  /** The app page the browser returns to (default: the test page's Trackers tab). */
  private appUrl(params: Record<string, string>): string {
    const base =
      this.config.terra.appRedirectUrl ?? `${this.config.publicBaseUrl.replace(/\/$/, '')}/test/#trackers`;
    const url = new URL(base);
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    return url.toString();
  }

  private unavailable(error: unknown): unknown {
    if (!(error instanceof TerraCallError)) return error;
    this.logger.warn(error.message);
    return new ServiceUnavailableError('The fitness data service is unavailable; try again shortly');
  }
}
