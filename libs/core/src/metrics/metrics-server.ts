import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AppConfig, InjectConfig } from '../config/app-config';
import { Metrics } from './metrics';
import { mayScrapeMetrics } from './metrics-access';

/**
 * The worker's own HTTP listener on WORKER_METRICS_PORT (the worker has no HTTP server otherwise, so its
 * job counters, durations, queue depths and pool gauges would never be scraped): GET /metrics under the
 * API's METRICS_TOKEN rule and GET /health/live. A bare node:http server, not Express: two routes, no
 * body, no middleware. Off when the port is unset. It closes last on shutdown, so Prometheus still sees
 * the jobs that finish while the queues drain.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('MetricsServer');
  private server?: Server;

  constructor(
    private readonly metrics: Metrics,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.workerMetricsPort;
    if (port === undefined) return;
    const server = createServer((request, response) => void this.answer(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.logger.log(`Metrics and liveness on port ${(server.address() as AddressInfo).port}`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    // Idle keep-alive connections (Prometheus keeps one between scrapes) are dropped; a scrape being
    // answered finishes first.
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0];
    const get = request.method === 'GET' || request.method === 'HEAD';
    if (get && path === '/health/live') return send(response, 200, 'application/json', '{"status":"ok"}');
    if (get && path === '/metrics' && mayScrapeMetrics(this.config, request.headers.authorization)) {
      try {
        const text = await this.metrics.scrape();
        return send(response, 200, 'text/plain; version=0.0.4; charset=utf-8', text);
      } catch (error) {
        this.logger.error(`Scrape failed: ${String(error)}`);
        return send(response, 500, 'application/problem+json', problem(500, 'Metrics scrape failed'));
      }
    }
    // Unknown paths and refused scrapes alike, as the API answers them.
    send(response, 404, 'application/problem+json', problem(404, 'Route not found'));
  }
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  response.end(body);
}

function problem(status: number, detail: string): string {
  const title = status === 404 ? 'Not Found' : 'Internal Server Error';
  return JSON.stringify({ type: `https://fittrack.app/problems/${status}`, title, status, detail });
}
