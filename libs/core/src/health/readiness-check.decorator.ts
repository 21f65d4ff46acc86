import { DiscoveryService } from '@nestjs/core';

/**
 * Marks a provider method as a readiness check named in GET /health/ready (e.g. `deny_list`): it resolves
 * with details while its dependency answers and throws when it does not. Found at startup, like job handlers.
 */
export const ReadinessCheck = DiscoveryService.createDecorator<string>();
