import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DestinationStream, LevelWithSilent } from 'pino';
import type { Params } from 'nestjs-pino';
import { type HttpLogger, type Options as HttpOptions, pinoHttp, stdSerializers } from 'pino-http';
import type { AppConfig } from '../config/app-config';
import { wasShed } from '../http/shed-mark';

/** Optional destination for the log lines (tests capture them); stdout when not provided. */
export const LOG_DESTINATION = Symbol('LOG_DESTINATION');

/** Nest's LOG_LEVEL names mapped to pino's. */
const PINO_LEVEL: Record<AppConfig['logLevel'], LevelWithSilent> = {
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

/** Keys whose values never reach a log line, at any of the first four levels of a logged object (any case). */
export const REDACTED_KEYS = [
  'password',
  'current_password',
  'new_password',
  'passwordHash',
  'password_hash',
  'token',
  'access_token',
  'refresh_token',
  'accessToken',
  'refreshToken',
  'authorization',
  'cookie',
  'secret',
  'apiKey',
  'api_key',
  'email',
  'toAddress',
  'to_address',
  'address',
  'street',
  'address_line1',
  'address_line2',
  'phone',
  'dateOfBirth',
  'date_of_birth',
];

const SECRET_KEYS = new Set(REDACTED_KEYS.map((key) => key.toLowerCase()));
const CENSOR = '[redacted]';
/** Levels of a logged object searched for secret keys: the object's own keys are level 1. */
const SCRUB_LEVELS = 4;

/**
 * The log object with every secret key's value censored (a copy where anything changed; the caller's
 * objects are never modified); an error's own fields are searched too. pino's `redact` did this with
 * wildcard paths (`*.password`, …), which cost ~24 µs per child logger (one per request) and ~130 µs per
 * line; this walk costs about a microsecond for a request line.
 */
export function scrubLogObject<T>(value: T, level = 1): T {
  if (typeof value !== 'object' || value === null || level > SCRUB_LEVELS) return value;
  if (value instanceof Date || Buffer.isBuffer(value)) return value;
  let copy: Record<string, unknown> | undefined;
  const source = value as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    const item = source[key];
    const scrubbed = SECRET_KEYS.has(key.toLowerCase()) ? CENSOR : scrubLogObject(item, level + 1);
    if (scrubbed === item) continue;
    copy ??= copyOf(source);
    copy[key] = scrubbed;
  }
  return (copy ?? value) as T;
}

/** A shallow copy to censor: an error stays an error (message and stack are not enumerable). */
function copyOf(source: Record<string, unknown>): Record<string, unknown> {
  if (Array.isArray(source)) return [...source] as unknown as Record<string, unknown>;
  if (!(source instanceof Error)) return { ...source };
  const error = Object.create(Object.getPrototypeOf(source) as object) as Record<string, unknown>;
  for (const key of ['name', 'message', 'stack', 'cause'] as const) {
    if (key in source) Object.defineProperty(error, key, { value: source[key], writable: true });
  }
  return Object.assign(error, source);
}

type Req = IncomingMessage & { originalUrl?: string; principal?: { userId?: string } };

/** pino-pretty is a development dependency: used when present outside production, JSON otherwise. */
function prettyAvailable(): boolean {
  try {
    createRequire(__filename).resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

/** The pino-http middleware (and its logger) of this process; initApp mounts it first thing. */
export const HTTP_LOGGER = Symbol('HTTP_LOGGER');

/**
 * JSON lines (pretty in development when pino-pretty is installed); the request id as `request_id` on every
 * line logged while serving a request (and in the jobs it enqueues, see request-context.ts); one `request
 * completed` line per request with method, path, status, duration and user id, including requests the body
 * parser or a guard refused; every secret or personal field redacted wherever it appears in a logged object.
 */
export function createHttpLogger(config: AppConfig, destination?: DestinationStream | null): HttpLogger {
  const pretty = !destination && config.nodeEnv === 'development' && prettyAvailable();
  const options: HttpOptions<Req, ServerResponse> = {
    level: PINO_LEVEL[config.logLevel],
    // Secrets are censored per line (scrubLogObject), not by pino's redact. Child bindings are not
    // searched: only the request id and job names are bound here.
    formatters: { log: (object) => scrubLogObject(object) },
    base: { service: 'fittrack' },
    messageKey: 'msg',
    transport: pretty ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
    // The requestId middleware (X-Request-Id) runs first and sets req.id, which pino-http keeps.
    genReqId: () => randomUUID(),
    // One child logger per request, bound to its id. pino-http binds the request itself to a child
    // (quietReqLogger would add a second one, for the id, and leave the first unused: ~1 % of an
    // authenticated read's CPU): its key is renamed `request_id` and its serialiser writes the id alone.
    // wrapSerializers: false keeps pino-http from wrapping it (or serialising the whole request).
    wrapSerializers: false,
    serializers: { request_id: requestIdOf, err: stdSerializers.err },
    customAttributeKeys: { req: 'request_id', responseTime: 'duration_ms' },
    // Health and metrics probes would drown the rest.
    autoLogging: { ignore: (req) => /^\/(health|metrics)(\/|$|\?)/.test(req.url ?? '') },
    customSuccessMessage: () => 'request completed',
    // A request answered busy (ADR 0032) is expected under overload, when every line costs most: one
    // warn line without pino-http's made-up error and its stack; the shed counter has the totals.
    customErrorMessage: (_req, res) => (wasShed(res) ? 'request shed' : 'request failed'),
    // A level the logger drops is 'silent': pino-http then builds no line object for it at all.
    customLogLevel: (_req, res, error) => {
      const level = wasShed(res) ? 'warn' : error || res.statusCode >= 500 ? 'error' : 'info';
      return middleware.logger.isLevelEnabled(level) ? level : 'silent';
    },
    customSuccessObject: (req, res, value: { duration_ms?: number }) => requestFields(req, res, value),
    customErrorObject: (req, res, error, value: { duration_ms?: number }) =>
      wasShed(res) ? requestFields(req, res, value) : { ...requestFields(req, res, value), err: error },
  };
  const middleware = destination ? pinoHttp(options, destination) : pinoHttp(options);
  return middleware;
}

/** The `request_id` binding: the request's id (bound as the request itself, see createHttpLogger). */
function requestIdOf(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : value;
}

/** nestjs-pino on top of that logger: Nest's Logger and PinoLogger write through it, in request context. */
export function loggerParams(httpLogger: HttpLogger): Params {
  return { pinoHttp: { logger: httpLogger.logger }, useExisting: true, renameContext: 'context' };
}

function requestFields(req: Req, res: ServerResponse, value: { duration_ms?: number }) {
  return {
    method: req.method,
    // The path without its query string: queries may carry tokens (e.g. verification links).
    path: (req.originalUrl ?? req.url ?? '').split('?')[0],
    status: res.statusCode,
    duration_ms: value.duration_ms,
    user_id: req.principal?.userId,
  };
}
