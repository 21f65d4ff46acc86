import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { isDatabaseBusy } from '../database/data-source-options';
import { DomainError, ErrorKind, FieldError } from '../errors/domain-errors';
import type { Metrics } from '../metrics/metrics';
import { reportError } from '../sentry/sentry';
import { markShed } from './shed-mark';

const STATUS_BY_KIND: Record<ErrorKind, number> = {
  bad_request: HttpStatus.BAD_REQUEST,
  unauthorized: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  unprocessable: HttpStatus.UNPROCESSABLE_ENTITY,
  too_many_requests: HttpStatus.TOO_MANY_REQUESTS,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
};

export const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  request_id?: string;
  errors?: FieldError[];
}

/** Body-parser failures carry a `type` and a `status`. */
interface BodyParserError {
  type: string;
  status: number;
}

const isBodyParserError = (error: unknown): error is BodyParserError =>
  typeof error === 'object' && error !== null && 'type' in error && 'status' in error && 'expose' in error;

/** The request's path without its query, which may carry a verification or reset token. */
const pathOf = (request: Request): string => request.originalUrl.split('?')[0];

/**
 * The answer when the process is too busy to serve a request now (ADR 0032): shed before any work
 * (http/overload.ts), or no database connection within DB_POOL_WAIT_MS. The request changed nothing, so a
 * client may simply retry; Retry-After spreads those retries out. Any other 503 (a dependency down) gets the
 * same Retry-After unless it names its own.
 */
export const BUSY_DETAIL = 'The service is busy; try again shortly';
export const BUSY_RETRY_AFTER_SECONDS = 2;
/** Where LoadShedder leaves the app's Metrics in Express's `app.locals`, for counting busy answers here. */
export const SHED_METRICS = 'fittrackShedMetrics';

export function answerBusy(request: Request, response: Response): void {
  markShed(response);
  response.setHeader('Retry-After', String(BUSY_RETRY_AFTER_SECONDS));
  sendProblem(request, response, 503, BUSY_DETAIL);
}

/** Writes one RFC 7807 problem+json response, carrying the request id. */
export function sendProblem(
  request: Request,
  response: Response,
  status: number,
  detail: string,
  errors?: FieldError[],
): void {
  const problem: Problem = {
    type: `https://fittrack.app/problems/${status}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    instance: pathOf(request),
    request_id: request.id,
    ...(errors ? { errors } : {}),
  };
  response.status(status).type('application/problem+json').send(JSON.stringify(problem));
}

/** Turns every error into RFC 7807 problem+json with the request id; never leaks internals. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    if (isDatabaseBusy(exception)) {
      // Expected past saturation, by the thousand: counted, not logged or reported one by one.
      (request.app.locals[SHED_METRICS] as Metrics | undefined)?.requestsShed.inc({ reason: 'db_pool_wait' });
      return answerBusy(request, response);
    }
    const {
      status,
      detail,
      errors,
      retryAfterSeconds = status === 503 ? BUSY_RETRY_AFTER_SECONDS : undefined,
    } = this.describe(exception);

    if (status >= 500) {
      this.logger.error(
        `${request.method} ${pathOf(request)} failed [${request.id}]`,
        exception instanceof Error ? exception.stack : String(exception),
      );
      reportError(exception, { request_id: request.id });
    }
    if (retryAfterSeconds !== undefined) response.setHeader('Retry-After', String(retryAfterSeconds));
    sendProblem(request, response, status, detail, errors);
  }

  private describe(exception: unknown): {
    status: number;
    detail: string;
    errors?: FieldError[];
    retryAfterSeconds?: number;
  } {
    if (exception instanceof DomainError) {
      return { status: STATUS_BY_KIND[exception.kind], detail: exception.detail, ...exception.extras };
    }
    // Nest may wrap body-parser failures; describe the parser's error, not its message.
    const parserError = exception instanceof HttpException ? exception.cause : exception;
    if (isBodyParserError(parserError)) {
      if (parserError.type === 'entity.too.large')
        return { status: 413, detail: 'Request body exceeds 1 MiB' };
      if (parserError.type === 'entity.parse.failed') return { status: 400, detail: 'Malformed JSON body' };
      if (parserError.status >= 400 && parserError.status < 500) {
        return { status: parserError.status, detail: 'The request body could not be read' };
      }
    }
    if (exception instanceof ThrottlerException) {
      return { status: 429, detail: 'Too many requests, slow down', retryAfterSeconds: 60 };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      if (typeof body === 'object' && body !== null) {
        const { message, errors } = body as { message?: unknown; errors?: FieldError[] };
        const detail = typeof message === 'string' ? message : (TITLES[status] ?? 'Error');
        return { status, detail, errors };
      }
      return { status, detail: String(body) };
    }
    return { status: 500, detail: 'An unexpected error occurred' };
  }
}
