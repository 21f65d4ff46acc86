import { ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import {
  type AccessRole,
  DomainError,
  ForbiddenError,
  GlobalRateLimit,
  IS_PUBLIC,
  type Principal,
  ROLES,
  ServiceUnavailableError,
  UnauthorizedError,
} from '@fittrack/core';
import type { Request } from 'express';
import { TOKEN_INVALID } from './jwt.strategy';

/**
 * The one global guard (APP_GUARD): every route needs a valid access token unless `@Public()`; `@Roles()`
 * then restricts by role (admin satisfies any role). Sets `request.principal` for `@CurrentUser()`. Every
 * request also counts against the global rate limit: per user once authenticated, per IP otherwise (public
 * routes, and callers it refuses).
 */
@Injectable()
export class AccessGuard extends AuthGuard('jwt') {
  private readonly logger = new Logger('AccessGuard');

  constructor(
    private readonly reflector: Reflector,
    private readonly rateLimit: GlobalRateLimit,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const request = context
      .switchToHttp()
      .getRequest<Request & { user?: Principal; principal?: Principal }>();
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) {
      await this.rateLimit.check(request);
      return true;
    }
    try {
      await super.canActivate(context);
    } catch (error) {
      await this.rateLimit.check(request);
      throw error;
    }
    const principal = request.user!;
    request.principal = principal;
    await this.rateLimit.check(request);
    const roles = this.reflector.getAllAndOverride<AccessRole[] | undefined>(ROLES, targets);
    if (roles?.length && principal.role !== 'admin' && !roles.includes(principal.role)) {
      throw new ForbiddenError('Insufficient permissions');
    }
    return true;
  }

  /** Maps passport's outcome to the contract's messages. */
  override handleRequest<TUser = Principal>(error: unknown, user: unknown, info: unknown): TUser {
    if (error instanceof DomainError) throw error;
    if (error) {
      // Not a verdict on the token (those are DomainErrors or `info`) but a failure checking it, e.g. the
      // database down: refuse with 503 rather than pass or blame the client's token.
      this.logger.error(`Checking an access token failed: ${String(error)}`);
      throw new ServiceUnavailableError('Authentication cannot be checked right now; try again shortly');
    }
    if (!user) {
      const message = info instanceof Error ? info.message : '';
      throw new UnauthorizedError(message === 'No auth token' ? 'Authentication required' : TOKEN_INVALID);
    }
    return user as TUser;
  }
}
