import { ApiTooManyRequestsResponse } from '@nestjs/swagger';

/** Documents the auth rate limit. */
export const ApiRateLimited = () =>
  ApiTooManyRequestsResponse({ description: 'Too many requests from this IP (Retry-After says when)' });
