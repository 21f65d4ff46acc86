/**
 * Typed domain errors. Services throw these; the problem+json filter maps each kind to a status code in
 * one table (see problem-details.filter.ts), so no HTTP concern leaks into domain code.
 */
export type ErrorKind =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unprocessable'
  | 'too_many_requests'
  | 'unavailable';

export interface FieldError {
  field: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly detail: string,
    readonly extras: { errors?: FieldError[]; retryAfterSeconds?: number } = {},
  ) {
    super(detail);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  constructor(entity: string) {
    super('not_found', `${entity} not found`);
  }
}

export class ConflictError extends DomainError {
  constructor(detail: string) {
    super('conflict', detail);
  }
}

export class ForbiddenError extends DomainError {
  constructor(detail = 'Insufficient permissions') {
    super('forbidden', detail);
  }
}

export class BadRequestError extends DomainError {
  constructor(detail: string) {
    super('bad_request', detail);
  }
}

export class UnauthorizedError extends DomainError {
  constructor(detail = 'Authentication required') {
    super('unauthorized', detail);
  }
}

export class UnprocessableError extends DomainError {
  constructor(detail: string, errors?: FieldError[]) {
    super('unprocessable', detail, { errors });
  }
}

export class TooManyRequestsError extends DomainError {
  constructor(detail: string, retryAfterSeconds: number) {
    super('too_many_requests', detail, { retryAfterSeconds });
  }
}

/** A dependency needed to answer safely is down: refuse (503) rather than guess. */
export class ServiceUnavailableError extends DomainError {
  constructor(detail: string) {
    super('unavailable', detail);
  }
}
