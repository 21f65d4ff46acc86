import { Injectable, NestMiddleware } from '@nestjs/common';
import { type AppConfig, InjectConfig, NotFoundError } from '@fittrack/core';

/**
 * Hides development-only routes in production. A middleware runs before the auth guard, so even an
 * anonymous caller gets the same 404 as for a route that does not exist.
 */
@Injectable()
export class NonProductionOnlyMiddleware implements NestMiddleware {
  constructor(@InjectConfig() private readonly config: AppConfig) {}

  use(_request: unknown, _response: unknown, next: (error?: unknown) => void): void {
    if (this.config.production) throw new NotFoundError('Resource');
    next();
  }
}
