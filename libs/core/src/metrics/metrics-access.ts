import { timingSafeEqual } from 'node:crypto';
import type { AppConfig } from '../config/app-config';

/**
 * Who may scrape metrics (the API's GET /metrics and the worker's listener alike): with METRICS_TOKEN set,
 * only `Authorization: Bearer <token>`; without one, anyone outside production and no one in production.
 * Callers answer a refusal with 404, so a scanner learns nothing.
 */
export function mayScrapeMetrics(
  config: Pick<AppConfig, 'metricsToken' | 'production'>,
  authorization: string | undefined,
): boolean {
  const token = config.metricsToken;
  if (!token) return !config.production;
  const given = Buffer.from(/^Bearer (.+)$/.exec(authorization ?? '')?.[1] ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
