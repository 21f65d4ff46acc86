import { DiscoveryService } from '@nestjs/core';
import { JobName } from './jobs';

/** Marks a provider method as the handler of a job; discovered at startup by JobRegistry. */
export const JobHandler = DiscoveryService.createDecorator<JobName>();
