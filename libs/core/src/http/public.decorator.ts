import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';

/** Access decisions read by the global auth guard: every route is authenticated unless marked. */
export const IS_PUBLIC = 'fittrack:isPublic';
export const ROLES = 'fittrack:roles';

export type AccessRole = 'user' | 'premium' | 'admin';

/** The route needs no authentication. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** The route needs one of these roles (in addition to authentication). */
export const Roles = (...roles: AccessRole[]) => SetMetadata(ROLES, roles);

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
