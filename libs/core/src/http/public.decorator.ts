import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ApiProblem } from './api-docs';

/**
 * Access decisions read by the global auth guard. Every route carries exactly one: `@Public()`,
 * `@Authenticated()` or `@Roles(...)` (the RBAC matrix test fails on a route without one).
 */
export const IS_PUBLIC = 'fittrack:isPublic';
export const AUTHENTICATED = 'fittrack:authenticated';
export const ROLES = 'fittrack:roles';

export type AccessRole = 'user' | 'premium' | 'admin';

/** The route needs no authentication. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

const bearer = () =>
  applyDecorators(
    ApiBearerAuth('bearer'),
    ApiProblem(401, ['Authentication required', 'Token expired', 'Invalid token']),
  );

/** Any signed-in caller; ownership is checked in the service. */
export const Authenticated = () => applyDecorators(SetMetadata(AUTHENTICATED, true), bearer());

/** Callers with one of these roles (admin passes every role check). */
export const Roles = (...roles: AccessRole[]) =>
  applyDecorators(SetMetadata(ROLES, roles), bearer(), ApiProblem(403, 'Insufficient permissions'));

/** The authenticated caller, as the auth guard puts it on the request. */
export interface Principal {
  userId: string;
  email: string;
  role: AccessRole;
  jti: string;
  /** access token expiry, epoch seconds */
  exp: number;
}

/** Injects the authenticated caller (undefined on public routes without a token). */
export const CurrentUser = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal | undefined =>
    context.switchToHttp().getRequest<{ principal?: Principal }>().principal,
);
