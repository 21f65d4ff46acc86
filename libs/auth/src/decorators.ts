import { applyDecorators, SetMetadata } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { type AccessRole, Roles } from '@fittrack/core';

/** Marks a route as open to any authenticated caller (the guard's default, made explicit for review). */
export const AUTHENTICATED = 'fittrack:authenticated';

/** Any signed-in user: documents the bearer requirement and the 401. */
export const Authenticated = () =>
  applyDecorators(
    SetMetadata(AUTHENTICATED, true),
    ApiBearerAuth('bearer'),
    ApiUnauthorizedResponse({ description: 'Authentication required / Token expired / Invalid token' }),
  );

/** Callers with one of these roles (admin passes every role check). */
export const RequireRoles = (...roles: AccessRole[]) =>
  applyDecorators(
    Roles(...roles),
    ApiBearerAuth('bearer'),
    ApiUnauthorizedResponse({ description: 'Authentication required / Token expired / Invalid token' }),
    ApiForbiddenResponse({ description: 'Insufficient permissions' }),
  );

/** Documents the auth rate limit. */
export const ApiRateLimited = () =>
  ApiTooManyRequestsResponse({ description: 'Too many requests from this IP (Retry-After says when)' });
