import { ArgumentsHost, BadRequestException, HttpException, Logger, NotFoundException } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import {
  BadRequestError,
  ConflictError,
  DomainError,
  ForbiddenError,
  NotFoundError,
  ServiceUnavailableError,
  TooManyRequestsError,
  UnauthorizedError,
  UnprocessableError,
} from '../errors/domain-errors';
import { Metrics } from '../metrics/metrics';
import { ProblemDetailsFilter, SHED_METRICS } from './problem-details.filter';

interface Captured {
  status?: number;
  type?: string;
  body?: Record<string, unknown>;
  headers: Record<string, string>;
}

/** Runs the filter against a fake request/response pair and returns what it wrote. */
function render(
  exception: unknown,
  url = '/api/v1/things?page=2',
  locals: Record<string, unknown> = {},
): Captured {
  const captured: Captured = { headers: {} };
  const response = {
    status(code: number) {
      captured.status = code;
      return this;
    },
    type(type: string) {
      captured.type = type;
      return this;
    },
    send(body: string) {
      captured.body = JSON.parse(body) as Record<string, unknown>;
      return this;
    },
    setHeader(name: string, value: string) {
      captured.headers[name] = value;
    },
  };
  const request = { method: 'GET', originalUrl: url, id: 'req-42', app: { locals } };
  const host = {
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }),
  } as unknown as ArgumentsHost;
  new ProblemDetailsFilter().catch(exception, host);
  return captured;
}

/** A body-parser error as express raises it. */
const parserError = (type: string, status: number) =>
  Object.assign(new Error('raw parser message with internals'), { type, status, expose: true });

describe('ProblemDetailsFilter', () => {
  beforeEach(() => jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it.each([
    [new BadRequestError('bad'), 400, 'Bad Request'],
    [new UnauthorizedError(), 401, 'Unauthorized'],
    [new ForbiddenError(), 403, 'Forbidden'],
    [new NotFoundError('User'), 404, 'Not Found'],
    [new ConflictError('Email already registered'), 409, 'Conflict'],
    [new UnprocessableError('nope'), 422, 'Unprocessable Entity'],
  ] as Array<[DomainError, number, string]>)('maps %p to %i', (error, status, title) => {
    const out = render(error);
    expect(out.status).toBe(status);
    expect(out.type).toBe('application/problem+json');
    expect(out.body).toEqual({
      type: `https://fittrack.app/problems/${status}`,
      title,
      status,
      detail: error.detail,
      instance: '/api/v1/things',
      request_id: 'req-42',
    });
  });

  it('keeps field errors of a domain validation failure', () => {
    const errors = [{ field: 'email', message: 'must be an email' }];
    expect(render(new UnprocessableError('must be an email', errors)).body).toMatchObject({
      status: 422,
      detail: 'must be an email',
      errors,
    });
  });

  it('sets Retry-After for rate limits', () => {
    const domain = render(new TooManyRequestsError('Slow down', 90));
    expect(domain.status).toBe(429);
    expect(domain.headers['Retry-After']).toBe('90');
    const throttled = render(new ThrottlerException());
    expect(throttled.status).toBe(429);
    expect(throttled.headers['Retry-After']).toBe('60');
  });

  it('answers "no pool connection in time" 503 busy with Retry-After, counted, neither logged nor a 500', async () => {
    const metrics = new Metrics();
    const locals = { [SHED_METRICS]: metrics };
    for (const error of [
      new Error('timeout exceeded when trying to connect'),
      new Error('NJS-040: connection request timeout. Request exceeded "queueTimeout" of 1000'),
    ]) {
      const out = render(error, '/api/v1/things', locals);
      expect(out.status).toBe(503);
      expect(out.headers['Retry-After']).toBe('2');
      expect(out.body).toMatchObject({ status: 503, detail: 'The service is busy; try again shortly' });
    }
    expect(Logger.prototype.error).not.toHaveBeenCalled();
    expect((await metrics.requestsShed.get()).values).toEqual([
      expect.objectContaining({ labels: { reason: 'db_pool_wait' }, value: 2 }),
    ]);
  });

  it('gives any other 503 a Retry-After too', () => {
    const out = render(new ServiceUnavailableError('Redis is down'));
    expect(out.status).toBe(503);
    expect(out.headers['Retry-After']).toBe('2');
    expect(out.body).toMatchObject({ detail: 'Redis is down' });
  });

  it('describes body-parser failures without their raw message, also when Nest wraps them', () => {
    const tooLarge = render(parserError('entity.too.large', 413));
    expect(tooLarge.body).toMatchObject({ status: 413, detail: 'Request body exceeds 1 MiB' });
    const wrapped = new BadRequestException('wrapped', { cause: parserError('entity.parse.failed', 400) });
    expect(render(wrapped).body).toMatchObject({ status: 400, detail: 'Malformed JSON body' });
    const charset = render(parserError('charset.unsupported', 415));
    expect(charset.body).toMatchObject({ status: 415, detail: 'The request body could not be read' });
    expect(JSON.stringify(charset.body)).not.toContain('internals');
  });

  it('passes Nest HTTP exceptions through with their status and message', () => {
    expect(render(new NotFoundException('Cannot GET /x')).body).toMatchObject({
      status: 404,
      title: 'Not Found',
      detail: 'Cannot GET /x',
    });
    const validation = new HttpException(
      { message: 'must be ≥ 1', errors: [{ field: 'page', message: 'must be ≥ 1' }] },
      422,
    );
    expect(render(validation).body).toMatchObject({
      status: 422,
      detail: 'must be ≥ 1',
      errors: [{ field: 'page', message: 'must be ≥ 1' }],
    });
  });

  it('answers 500 for anything else, logging the stack but never sending it', () => {
    const error = new Error('connect ECONNREFUSED 10.0.0.5:5432 password=hunter2');
    const out = render(error);
    expect(out.status).toBe(500);
    expect(out.body).toEqual({
      type: 'https://fittrack.app/problems/500',
      title: 'Internal Server Error',
      status: 500,
      detail: 'An unexpected error occurred',
      instance: '/api/v1/things',
      request_id: 'req-42',
    });
    // The stack goes to the log; the query (it may hold a token) does not.
    expect(Logger.prototype.error).toHaveBeenCalledWith(
      expect.stringContaining('GET /api/v1/things failed [req-42]'),
      expect.stringContaining('hunter2'),
    );
    expect(jest.mocked(Logger.prototype.error).mock.calls[0][0]).not.toContain('page=2');
    expect(render('a thrown string').status).toBe(500);
  });
});
