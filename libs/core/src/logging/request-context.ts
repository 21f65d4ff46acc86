import { PinoLogger } from 'nestjs-pino';

/** Where a job carries the id of the request that enqueued it (a key no job's own data uses). */
export const JOB_REQUEST_ID_KEY = '__requestId';

/**
 * nestjs-pino keeps each request's logger in an async-local store; its accessors read that store, not the
 * instance, so one instance made without the DI container serves the whole process.
 */
const context = Object.create(PinoLogger.prototype) as PinoLogger;

/** The `request_id` of the request (or the job) being served here, if any. */
export function currentRequestId(): string | undefined {
  const logger = context.logger as PinoLogger['logger'] | undefined;
  if (!logger) return undefined;
  const id = (logger.bindings() as { request_id?: unknown }).request_id;
  return typeof id === 'string' && id ? id : undefined;
}

/**
 * Whether a line at `level` would be written here (pino's level decides; Nest's Logger only forwards).
 * Lets hot callers skip building a line nobody writes; true when no pino logger exists yet.
 */
export function logLevelEnabled(level: 'debug' | 'trace'): boolean {
  const logger = context.logger as PinoLogger['logger'] | undefined;
  return logger ? logger.isLevelEnabled(level) : true;
}

/** Job data with the current request id attached, so the job's log lines carry it too. */
export function withRequestId<T>(data: T): T {
  const requestId = currentRequestId();
  if (!requestId || !isPlainObject(data)) return data;
  return { ...data, [JOB_REQUEST_ID_KEY]: requestId };
}

/** Splits what withRequestId attached off the job's data. */
export function takeRequestId(data: unknown): { requestId?: string; data: unknown } {
  if (!isPlainObject(data) || !(JOB_REQUEST_ID_KEY in data)) return { data };
  const { [JOB_REQUEST_ID_KEY]: requestId, ...rest } = data;
  return { requestId: typeof requestId === 'string' ? requestId : undefined, data: rest };
}

/** Runs `fn` with every log line inside it carrying `bindings` (a job's name and request id). */
export function runInLogContext<T>(bindings: Record<string, string | undefined>, fn: () => T): T {
  // No logger yet (a unit test without the app): nothing to bind.
  if (!(context.logger as PinoLogger['logger'] | undefined)) return fn();
  const defined = Object.fromEntries(Object.entries(bindings).filter(([, value]) => value !== undefined));
  return context.runInContext(fn, { bindings: defined });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}
