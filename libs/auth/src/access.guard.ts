import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  type AccessRole,
  ForbiddenError,
  GlobalRateLimit,
  IS_PUBLIC,
  type Principal,
  ROLES,
  UnauthorizedError,
} from '@fittrack/core';
import type { Request } from 'express';
import { AccessTokenVerifier } from './access-token';

/** A route's access decorators, read once: they are fixed when the controller class is defined. */
interface RouteAccess {
  controller: object;
  isPublic: boolean;
  roles: AccessRole[] | undefined;
}

/**
 * The one global guard (APP_GUARD): every route needs a valid access token unless `@Public()`; `@Roles()`
 * then restricts by role (admin satisfies any role). Sets `request.principal` for `@CurrentUser()`. Every
 * request also counts against the global rate limit: per user once authenticated, per IP otherwise (public
 * routes, and callers it refuses).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  /** By handler: the reflector's two metadata walks cost more per request than the rest of this guard. */
  private readonly routes = new WeakMap<object, RouteAccess>();

  constructor(
    private readonly reflector: Reflector,
    private readonly rateLimit: GlobalRateLimit,
    private readonly tokens: AccessTokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const route = this.routeAccess(context);
    const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    if (route.isPublic) {
      const limited = this.rateLimit.check(request);
      if (limited) await limited;
      return true;
    }
    let principal: Principal;
    try {
      principal = await this.tokens.principal(request.headers.authorization);
    } catch (error) {
      // A refused token counts against the caller's IP; a check that could not be made (503: the database
      // busy or down) says nothing about the caller, and counting it would turn an overload into 429s.
      if (error instanceof UnauthorizedError) {
        const limited = this.rateLimit.check(request);
        if (limited) await limited;
      }
      throw error;
    }
    request.principal = principal;
    // The global limit answers synchronously when it counts in memory: nothing to wait for then.
    const limited = this.rateLimit.check(request);
    if (limited) await limited;
    const { roles } = route;
    if (roles?.length && principal.role !== 'admin' && !roles.includes(principal.role)) {
      throw new ForbiddenError('Insufficient permissions');
    }
    return true;
  }

  private routeAccess(context: ExecutionContext): RouteAccess {
    const handler = context.getHandler();
    const controller = context.getClass();
    const known = this.routes.get(handler);
    // One handler function serves one controller, unless a subclass inherits it: then read again.
    if (known?.controller === controller) return known;
    const targets = [handler, controller];
    const route: RouteAccess = {
      controller,
      isPublic: this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) ?? false,
      roles: this.reflector.getAllAndOverride<AccessRole[] | undefined>(ROLES, targets),
    };
    this.routes.set(handler, route);
    return route;
  }
}
