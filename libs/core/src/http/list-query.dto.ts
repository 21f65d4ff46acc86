import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidationOptions,
} from 'class-validator';

export const MAX_PER_PAGE = 100;
export const MAX_PAGE = 1_000_000;

/** `?page=&per_page=&sort=`; each list adds its own `filter` DTO and whitelisted sort fields. */
export class ListQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  page: number = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PER_PAGE, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PER_PAGE)
  per_page: number = 20;

  sort?: string;
}

/** `sort=-created_at,email`: comma-separated fields from `fields`, `-` for descending. */
export function IsSort(fields: readonly string[], options?: ValidationOptions) {
  return applyDecorators(
    ApiPropertyOptional({
      description: `Comma-separated, \`-\` prefix for descending. Fields: ${fields.join(', ')}`,
      example: `-${fields[0]}`,
    }),
    IsOptional(),
    IsString(),
    MaxLength(200),
    ValidateBy(
      {
        name: 'isSort',
        validator: {
          validate: (value: unknown) =>
            typeof value === 'string' &&
            value.split(',').every((token) => fields.includes(token.trim().replace(/^-/, ''))),
          defaultMessage: () => `sort may only use: ${fields.join(', ')}`,
        },
      },
      options,
    ),
  );
}

/** A `YYYY-MM-DD` calendar date. */
export const IsCalendarDate = () =>
  applyDecorators(
    IsString(),
    Matches(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, {
      message: '$property must be a YYYY-MM-DD date',
    }),
  );

export interface PageMeta {
  page: number;
  per_page: number;
  total: number;
  total_pages: number;
}

export interface Page<T> {
  data: T[];
  meta: PageMeta;
}

export function mapPage<T, R>(page: Page<T>, map: (item: T) => R): Page<R> {
  return { data: page.data.map(map), meta: page.meta };
}
