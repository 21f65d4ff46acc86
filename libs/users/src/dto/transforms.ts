import type { TransformFnParams } from 'class-transformer';

/** Transforms shared by the user DTOs: trimmed strings, and trimmed upper-case codes (state). */
export const trim = ({ value }: TransformFnParams): unknown =>
  typeof value === 'string' ? value.trim() : value;
export const upper = ({ value }: TransformFnParams): unknown =>
  typeof value === 'string' ? value.trim().toUpperCase() : value;
