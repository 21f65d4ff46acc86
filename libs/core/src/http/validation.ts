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

/** Unknown fields are rejected, values transformed to their declared types, failures are 422. */
export const createValidationPipe = () =>
  new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) =>
      new UnprocessableEntityException({ message: 'Validation failed', errors: fieldErrors(errors) }),
  });
