import type { ValidationError } from '@nestjs/common';
import { IsInt, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { createValidationPipe, describeFieldErrors, fieldErrors } from './validation';

const error = (
  property: string,
  constraints?: Record<string, string>,
  children: ValidationError[] = [],
): ValidationError => ({ property, constraints, children });

class FilterDto {
  @IsOptional() @IsString() role?: string;
}

class QueryDto {
  @Type(() => Number) @IsInt() @Min(1) page!: number;
  @IsOptional() @ValidateNested() @Type(() => FilterDto) filter?: FilterDto;
}

describe('fieldErrors', () => {
  it('flattens nested errors into dotted field paths, one entry per field', () => {
    const errors = [
      error('page', { min: 'page must not be less than 1', isInt: 'page must be an integer' }),
      error('filter', undefined, [error('role', { isString: 'role must be a string' })]),
      error('items', undefined, [error('0', undefined, [error('qty', { min: 'qty too small' })])]),
    ];
    expect(fieldErrors(errors)).toEqual([
      { field: 'page', message: 'page must not be less than 1; page must be an integer' },
      { field: 'filter.role', message: 'role must be a string' },
      { field: 'items.0.qty', message: 'qty too small' },
    ]);
  });
});

describe('describeFieldErrors', () => {
  it("is the one failing rule's message", () => {
    expect(describeFieldErrors([{ field: 'page', message: 'page must not be less than 1' }])).toBe(
      'page must not be less than 1',
    );
  });

  it('names each failing field once when several fail', () => {
    const errors = [
      { field: 'page', message: 'page must not be less than 1' },
      { field: 'filter.role', message: 'role must be a string' },
      { field: 'page', message: 'page must be an integer' },
    ];
    expect(describeFieldErrors(errors)).toBe('Invalid fields: page, filter.role');
  });
});

describe('createValidationPipe', () => {
  const pipe = createValidationPipe();
  const validate = (value: unknown) => pipe.transform(value, { type: 'query', metatype: QueryDto });

  it('transforms valid input to the DTO', async () => {
    const dto = (await validate({ page: '2', filter: { role: 'admin' } })) as QueryDto;
    expect(dto).toBeInstanceOf(QueryDto);
    expect(dto.page).toBe(2);
  });

  it('rejects unknown and invalid fields with every problem listed (422)', async () => {
    const failure = await validate({ page: '0', filter: { colour: 'red' }, extra: 1 }).catch(
      (e: unknown) => e,
    );
    expect(failure).toMatchObject({ status: 422 });
    const body = (failure as { getResponse(): { errors: Array<{ field: string }> } }).getResponse();
    expect(body.errors.map((e) => e.field).sort()).toEqual(['extra', 'filter.colour', 'page']);
    expect((body as unknown as { message: string }).message).toMatch(/^Invalid fields: /);
  });

  it('says what is wrong when one rule fails', async () => {
    const failure = (await validate({ page: '0' }).catch((e: unknown) => e)) as {
      getResponse(): { message: string; errors: unknown[] };
    };
    expect(failure.getResponse()).toEqual({
      message: 'page must not be less than 1',
      errors: [{ field: 'page', message: 'page must not be less than 1' }],
    });
  });
});
