import { ApiProblem } from '@fittrack/core';

/** Documents the auth rate limit. */
export const ApiRateLimited = () => ApiProblem(429, 'Too many requests, slow down');
