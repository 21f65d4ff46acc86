import { Controller, Get, HttpCode, OnModuleInit, Res, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckResult, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { type AppConfig, InjectConfig } from '../config/app-config';
import { DatabaseService } from '../database/database.service';
import { isDatabaseBusy } from '../database/data-source-options';
import { QueuePort } from '../queue/queue.port';
import { ApiEndpoint } from '../http/api-docs';
import { Public } from '../http/public.decorator';
import { ReadinessCheck } from './readiness-check.decorator';

/** A check's dependency answered, with a failure it names itself (e.g. `no worker consuming`). */
class CheckFailed extends Error {}

interface Check {
  status: 'up' | 'down';
  [detail: string]: string | number;
}

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController implements OnModuleInit {
  /** Checks other modules add with @ReadinessCheck (core knows no domain). */
  private readonly extraChecks = new Map<string, () => Promise<Record<string, string>>>();

  constructor(
    private readonly database: DatabaseService,
    private readonly queue: QueuePort,
    @InjectConfig() private readonly config: AppConfig,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      for (const method of this.scanner.getAllMethodNames(Object.getPrototypeOf(instance))) {
        const name = this.discovery.getMetadataByDecorator(ReadinessCheck, wrapper, method);
        if (!name) continue;
        const fn = instance[method] as () => Promise<Record<string, string>>;
        this.extraChecks.set(name, fn.bind(instance));
      }
    }
  }

  @Get()
  @ApiEndpoint('Check that the API process answers')
  @ApiOkResponse({ example: { status: 'ok' } })
  getHealth() {
    return { status: 'ok' };
  }

  @Get('live')
  @ApiEndpoint('Liveness probe')
  @ApiOkResponse({ example: { status: 'ok' } })
  getLiveness() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HttpCode(200)
  @ApiEndpoint('Readiness probe: every configured dependency answers', {
    description:
      '200 when every configured dependency answers, 503 otherwise, with one entry per check. With Redis: `redis`, and `workers` (a worker process consumes the queues).',
  })
  @ApiOkResponse({
    example: {
      status: 'ok',
      checks: {
        database: { status: 'up', type: 'sqlite', version: 'SQLite 3.53.2', latency_ms: 1 },
        deny_list: { status: 'up', source: 'database', latency_ms: 1 },
        redis: { status: 'up', latency_ms: 1 },
        workers: { status: 'up', consuming: 2, latency_ms: 1 },
      },
    },
  })
  @ApiServiceUnavailableResponse({
    description: 'A dependency is down; `checks` says which',
    example: {
      status: 'unavailable',
      checks: {
        database: { status: 'up', latency_ms: 1 },
        workers: { status: 'down', error: 'no worker consuming' },
      },
    },
  })
  async getReadiness(@Res({ passthrough: true }) response: Response) {
    const indicators = [
      () =>
        this.indicator('database', async () => ({
          type: this.config.database.type,
          version: await this.database.serverVersion(),
        })),
      ...(this.queue.kind === 'bull'
        ? [
            () =>
              this.indicator('redis', async () => {
                await this.queue.ping();
                return {};
              }),
            // Jobs queued on Redis wait until a worker consumes them: ready only while one does.
            () =>
              this.indicator('workers', async () => {
                const consuming = await this.queue.consumers();
                if (!consuming) throw new CheckFailed('no worker consuming');
                return { consuming };
              }),
          ]
        : []),
      ...[...this.extraChecks].map(
        ([name, probe]) =>
          () =>
            this.indicator(name, probe),
      ),
    ];
    let result: HealthCheckResult;
    try {
      result = await this.health.check(indicators);
    } catch (error) {
      // Terminus answers a failed check by throwing 503 with the same result.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      result = error.getResponse() as HealthCheckResult;
    }
    const checks = result.details as Record<string, Check>;
    const ok = Object.values(checks).every((check) => check.status === 'up');
    response.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'unavailable', checks };
  }

  /** One named check: up with its details and latency, or down with a category of failure. */
  private async indicator(name: string, probe: () => Promise<Record<string, string | number>>) {
    const check = this.indicators.check(name);
    const started = performance.now();
    try {
      const details = await probe();
      return check.up({ ...details, latency_ms: Math.round(performance.now() - started) });
    } catch (error) {
      // The message names the failure (timeout, refused) without credentials or SQL. Driver errors may
      // come from another realm (Jest's sandbox), so no `instanceof Error`.
      if (error instanceof CheckFailed) return check.down({ error: error.message });
      // Every pool connection is serving a query: the database answers, this process is saturated and
      // sheds (ADR 0032). Failing readiness now would pull every saturated instance at once.
      if (isDatabaseBusy(error))
        return check.up({ pool: 'busy', latency_ms: Math.round(performance.now() - started) });
      const message = String((error as { message?: unknown } | null)?.message ?? '');
      const reason = /timeout|ECONNREFUSED|terminat|connect/i.test(message) ? 'unreachable' : 'error';
      return check.down({ error: reason });
    }
  }
}
