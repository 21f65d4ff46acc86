import { applyDecorators, ParseUUIDPipe, UnprocessableEntityException } from '@nestjs/common';
import { IsIn, ValidationOptions } from 'class-validator';

/** The 50 states plus DC. */
export const US_STATES = [
  'AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'DC', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA', 'KS',
  'KY', 'LA', 'ME', 'MD', 'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM', 'NY', 'NC',
  'ND', 'OH', 'OK', 'OR', 'PA', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV', 'WI', 'WY',
] as const; // prettier-ignore
export type UsState = (typeof US_STATES)[number];

/** A US state code (50 states + DC), upper case. */
export const IsUsState = (options?: ValidationOptions) =>
  applyDecorators(
    IsIn(US_STATES, { message: '$property must be a US state code (50 states + DC)', ...options }),
  );

/**
 * A UUID path parameter: anything else is a 422 problem, never a 500 from the database.
 * Usage: `@Param('id', IsUuidParam) id: string`.
 */
export const IsUuidParam = new ParseUUIDPipe({
  exceptionFactory: () =>
    new UnprocessableEntityException({
      message: 'id must be a UUID',
      errors: [{ field: 'id', message: 'id must be a UUID' }],
    }),
});
