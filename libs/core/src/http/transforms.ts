import type { TransformFnParams } from 'class-transformer';

/** `@Transform` helpers shared by the DTOs: strings trimmed, and case-folded where case carries nothing. */
export const trim = ({ value }: TransformFnParams): unknown =>
  typeof value === 'string' ? value.trim() : value;
/** Codes such as US states. */
export const toUpper = ({ value }: TransformFnParams): unknown =>
  typeof value === 'string' ? value.trim().toUpperCase() : value;
/** Email addresses. */
export const toLower = ({ value }: TransformFnParams): unknown =>
  typeof value === 'string' ? value.trim().toLowerCase() : value;

/** `@ValidateIf` conditions for partial updates: validate what was sent; `ifNotNull` lets null clear a field. */
export const ifPresent = (_: object, value: unknown): boolean => value !== undefined;
export const ifNotNull = (_: object, value: unknown): boolean => value !== undefined && value !== null;
