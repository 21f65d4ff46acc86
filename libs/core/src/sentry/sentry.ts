import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as SentrySdk from '@sentry/nestjs';
import type { AppConfig } from '../config/app-config';
import { REDACTED_KEYS } from '../logging/logging';

type Sdk = typeof SentrySdk;

/** The SDK once initSentry ran with a DSN; null means off: nothing loaded, every call a no-op. */
let sdk: Sdk | null = null;

/**
 * Errors to Sentry through its Nest SDK when SENTRY_DSN is set. Called by the API's and the worker's main
 * before Nest boots. Without a DSN the SDK is not even loaded. Only errors are sent (no tracing), tagged
 * with the environment (NODE_ENV), the release and the service; every event goes through scrubEvent.
 * Nest 12 is past the SDK's auto-instrumentation range (`@nestjs/common` < 12), so errors are reported
 * explicitly: reportError from the problem-details filter (5xx only) and from failed job attempts.
 */
export function initSentry(config: AppConfig, service: 'api' | 'worker'): boolean {
  if (sdk || !config.sentry.dsn) return sdk !== null;
  const loaded = createRequire(__filename)('@sentry/nestjs') as Sdk;
  loaded.init({
    dsn: config.sentry.dsn,
    environment: config.nodeEnv,
    release: sentryRelease(config),
    initialScope: { tags: { service } },
    sendDefaultPii: false,
    // Errors only, reported explicitly: no OpenTelemetry and none of the default integrations that patch
    // Node's modules (http, fetch, console, …) for tracing and breadcrumbs. Those patches outlive close()
    // and cost every request; what is left reports errors and what crashes the process.
    skipOpenTelemetrySetup: true,
    defaultIntegrations: false,
    integrations: [
      loaded.eventFiltersIntegration(),
      loaded.dedupeIntegration(),
      loaded.linkedErrorsIntegration(),
      loaded.nodeContextIntegration(),
      loaded.onUncaughtExceptionIntegration(),
      loaded.onUnhandledRejectionIntegration(),
    ],
    beforeSend: (event) => scrubEvent(event),
    beforeBreadcrumb: (breadcrumb) => scrubValue(breadcrumb),
  });
  sdk = loaded;
  return true;
}

/** Reports an unexpected error (a 500, a failed job attempt); a no-op when Sentry is off. */
export function reportError(error: unknown, tags: Record<string, string> = {}): void {
  sdk?.captureException(error, { tags });
}

/** Sends what is queued and turns Sentry off (graceful shutdown, tests). */
export async function closeSentry(timeoutMs = 2000): Promise<void> {
  const closing = sdk;
  sdk = null;
  await closing?.close(timeoutMs);
}

/** GIT_SHA when the build sets it, else `fittrack@<package version>`. */
export function sentryRelease(config: AppConfig): string {
  return config.sentry.gitSha ?? `fittrack@${packageVersion()}`;
}

function packageVersion(): string {
  // libs/core/src/sentry, or dist/libs/core/src/sentry once built.
  for (const up of ['../../../..', '../../../../..']) {
    try {
      const pkg = JSON.parse(readFileSync(join(__dirname, up, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'fittrack' && pkg.version) return pkg.version;
    } catch {
      // not at this level
    }
  }
  return 'unknown';
}

/** The logging redaction list, compared without case (headers arrive as `Authorization` or `cookie`). */
const REDACTED = new Set(REDACTED_KEYS.map((key) => key.toLowerCase()));
const EMAIL = /[\w.+-]+@[\w.-]+\.[a-z]{2,}/gi;

/**
 * What leaves the process: no request body, cookies or query string (tokens travel in verification
 * links), no user but their id, and everywhere else (headers, extra data, contexts, breadcrumbs, messages)
 * the logging redaction list's keys censored and email addresses masked.
 */
export function scrubEvent<E extends SentrySdk.Event>(event: E): E {
  if (event.request) {
    delete event.request.data;
    delete event.request.cookies;
    delete event.request.query_string;
    if (event.request.url) event.request.url = event.request.url.split('?')[0];
  }
  if (event.user) event.user = event.user.id === undefined ? {} : { id: event.user.id };
  return scrubValue(event);
}

function scrubValue<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return value.replace(EMAIL, '[email]') as T;
  if (!value || typeof value !== 'object' || depth > 12) return value;
  if (Array.isArray(value)) return value.map((item: unknown) => scrubValue(item, depth + 1)) as T;
  const scrubbed: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (REDACTED.has(key.toLowerCase())) scrubbed[key] = '[redacted]';
    else if (key === 'url' && typeof item === 'string') scrubbed[key] = scrubValue(item.split('?')[0]);
    else scrubbed[key] = scrubValue(item, depth + 1);
  }
  return scrubbed as T;
}
