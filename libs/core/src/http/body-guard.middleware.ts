import type { NextFunction, Request, Response } from 'express';
import { sendProblem } from './problem-details.filter';

/** Deeper than any real request (a drawing with prizes is 3); deeper bodies only cost stack and CPU. */
export const MAX_BODY_DEPTH = 32;

/** Keys that reach an object's prototype when copied onto a DTO; no DTO declares them. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Runs after the body parser, before any transformation or validation: a body nested deeper than
 * MAX_BODY_DEPTH is 400 (class-transformer recurses and would overflow the stack), and a prototype key
 * anywhere is 422 like any unknown field. The walk is iterative, so it cannot overflow itself.
 */
export function bodyGuard(request: Request, response: Response, next: NextFunction): void {
  const pending: Array<{ value: unknown; path: string; depth: number }> = [
    { value: request.body, path: '', depth: 0 },
  ];
  while (pending.length) {
    const { value, path, depth } = pending.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_BODY_DEPTH) {
      return sendProblem(
        request,
        response,
        400,
        `Request body is nested deeper than ${MAX_BODY_DEPTH} levels`,
      );
    }
    for (const key of Object.keys(value)) {
      const field = path ? `${path}.${key}` : key;
      if (PROTOTYPE_KEYS.has(key)) {
        const message = `property ${key} should not exist`;
        return sendProblem(request, response, 422, message, [{ field, message }]);
      }
      pending.push({ value: (value as Record<string, unknown>)[key], path: field, depth: depth + 1 });
    }
  }
  next();
}
