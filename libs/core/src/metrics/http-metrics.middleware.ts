import type { NextFunction, Request, Response } from 'express';
import type { Metrics } from './metrics';

/**
 * Counts and times every HTTP request by its route template (`/api/v1/drawings/:id`, never the raw path:
 * ids would make a series per request); requests no route matched are `unmatched`.
 */
export function httpMetrics(metrics: Metrics) {
  return (request: Request, response: Response, next: NextFunction): void => {
    metrics.httpInFlight.inc();
    const end = metrics.httpDuration.startTimer();
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      metrics.httpInFlight.dec();
      const routePath = (request.route as { path?: unknown } | undefined)?.path;
      const route = typeof routePath === 'string' ? `${request.baseUrl}${routePath}` : 'unmatched';
      const labels = { method: request.method, route, status: String(response.statusCode) };
      end(labels);
      metrics.httpRequests.inc(labels);
    };
    response.on('finish', finish);
    response.on('close', finish);
    next();
  };
}
