import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  type AccessRole,
  ForbiddenError,
  GlobalRateLimit,
  IS_PUBLIC,
  type Principal,
  ROLES,
} from '@fittrack/core';
import type { Request } from 'express';
import { AccessTokenVerifier } from './access-token';

/**
 * The one global guard (APP_GUARD): every route needs a valid access token unless `@Public()`; `@Roles()`
 * then restricts by role (admin satisfies any role). Sets `request.principal` for `@CurrentUser()`. Every
 * request also counts against the global rate limit: per user once authenticated, per IP otherwise (public
 * routes, and callers it refuses).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly rateLimit: GlobalRateLimit,
    private readonly tokens: AccessTokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) {
      await this.rateLimit.check(request);
      return true;
    }
    let principal: Principal;
    try {
      principal = await this.tokens.principal(request.headers.authorization);
    } catch (error) {
      await this.rateLimit.check(request);
      throw error;
    }
    request.principal = principal;
    await this.rateLimit.check(request);
    const roles = this.reflector.getAllAndOverride<AccessRole[] | undefined>(ROLES, targets);
    if (roles?.length && principal.role !== 'admin' && !roles.includes(principal.role)) {
      throw new ForbiddenError('Insufficient permissions');
    }
    return true;
  }
}
