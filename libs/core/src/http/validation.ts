import { UnprocessableEntityException, ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError } from '../errors/domain-errors';

/** Flattens nested validation errors into `{field: "filter.role", message}` entries, one per bad field. */
export function fieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, message: Object.values(error.constraints).join('; ') }] : [];
    return [...own, ...fieldErrors(error.children ?? [], field)];
  });
}

/**
 * The problem's `detail` for field errors: the one failing rule's message, or the fields when several fail
 * (each field's own message stays in `errors`).
 */
export function describeFieldErrors(errors: FieldError[]): string {
  if (errors.length === 1) return errors[0].message;
  return `Invalid fields: ${[...new Set(errors.map((error) => error.field))].join(', ')}`;
}

/** Unknown fields are rejected, values transformed to their declared types, failures are 422. */
export const createValidationPipe = () =>
  new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const fields = fieldErrors(errors);
      return new UnprocessableEntityException({ message: describeFieldErrors(fields), errors: fields });
    },
  });
