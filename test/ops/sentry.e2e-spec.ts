import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Body, Controller, Module, Post } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { closeSentry, initSentry, JobName, parseConfig, Public, QueuePort } from '@fittrack/core';
import { WebhookEventsRepository } from '../../libs/trackers/src/webhooks.repository';
import { AppModule } from '../../apps/api/src/app.module';
import { initApp } from '../../apps/api/src/init-app';

/** A stand-in for Sentry's ingest: records every envelope POSTed to /api/<project>/envelope/. */
class EnvelopeRecorder {
  readonly envelopes: string[] = [];
  private server: Server | null = null;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const text = req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
        if (/^\/api\/\d+\/envelope\/?/.test(req.url ?? '')) this.envelopes.push(text.toString('utf8'));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** The error events received: an envelope is a header line, then item header / payload line pairs. */
  events(): Array<Record<string, unknown>> {
    return this.envelopes.flatMap((envelope) => {
      const lines = envelope.split('\n').filter(Boolean);
      const events: Array<Record<string, unknown>> = [];
      for (let i = 1; i + 1 < lines.length; i += 2) {
        const header = JSON.parse(lines[i]) as { type?: string };
        if (header.type === 'event') events.push(JSON.parse(lines[i + 1]) as Record<string, unknown>);
      }
      return events;
    });
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** A route with a bug: the error's message even quotes the caller's email. */
@Controller('sentry-probe')
class ProbeController {
  @Post()
  @Public()
  fail(@Body() body: { email: string }): never {
    throw new Error(`profile lookup crashed for ${body.email}`);
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

const SECRETS = {
  email: 'sentry.probe.person@example.com',
  password: 'Probe-Password-9173!',
  token: 'probe-token-5e1b7c0d',
  street: '12 Probe Street',
};

describe('errors to Sentry', () => {
  const ingest = new EnvelopeRecorder();
  let app: NestExpressApplication;

  beforeAll(async () => {
    await ingest.start();
    // What main.ts does before Nest boots, with a DSN pointing at the recorder.
    const config = parseConfig({
      ...process.env,
      SENTRY_DSN: `http://publickey@127.0.0.1:${ingest.port}/42`,
    });
    expect(initSentry(config, 'api')).toBe(true);
    const moduleRef = await Test.createTestingModule({ imports: [AppModule, ProbeModule] }).compile();
    // A job with a bug: the webhook job's first read fails.
    jest
      .spyOn(moduleRef.get(WebhookEventsRepository), 'get')
      .mockRejectedValue(new Error(`webhook job crashed for ${SECRETS.email}`));
    app = moduleRef.createNestApplication<NestExpressApplication>({ logger: false });
    await initApp(app);
  });
  afterAll(async () => {
    await closeSentry();
    await app?.close();
    await ingest.stop();
  });

  it('reports an unhandled error and a failed job with release, environment and service, no personal data', async () => {
    // Expected failures (4xx) are answers, not errors: nothing is sent for them.
    await request(app.getHttpServer()).get('/api/v1/users/me').expect(401);
    await request(app.getHttpServer()).get('/api/v1/no-such-route').expect(404);

    const response = await request(app.getHttpServer())
      .post('/api/v1/sentry-probe?token=query-token-88a1')
      .set('Authorization', 'Bearer header-token-42aa')
      .set('Cookie', 'refresh_token=cookie-token-77bc')
      .set('X-Request-Id', 'sentry-probe-1')
      .send(SECRETS)
      .expect(500);
    expect(response.body.detail).not.toContain(SECRETS.email);

    // A failed job attempt (here in the API's embedded queue; the worker runs the same registry).
    await app
      .get(QueuePort)
      .enqueue(JobName.ProcessTerraWebhook, { eventId: 'sentry-probe' }, { attempts: 1 });
    await app.get(QueuePort).drain();

    // close() flushes what is queued: the events have reached the recorder over HTTP when it resolves.
    await closeSentry(10_000);
    const events = ingest.events();
    expect(events).toHaveLength(2);
    const [event, jobEvent] = events as Array<{
      release: string;
      environment: string;
      tags: Record<string, string>;
      exception: { values: Array<{ type: string; value: string }> };
      request?: { url?: string; headers?: Record<string, string> };
    }>;
    const { version } = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as {
      version: string;
    };
    expect(event.release).toBe(`fittrack@${version}`);
    expect(event.environment).toBe('test');
    expect(event.tags).toMatchObject({ service: 'api', request_id: 'sentry-probe-1' });
    expect(event.exception.values[0]).toMatchObject({
      type: 'Error',
      value: 'profile lookup crashed for [email]',
    });
    expect(jobEvent.release).toBe(event.release);
    expect(jobEvent.tags).toMatchObject({ service: 'api', job: JobName.ProcessTerraWebhook, attempt: '1' });
    expect(jobEvent.exception.values[0].value).toBe('webhook job crashed for [email]');

    const sent = ingest.envelopes.join('\n');
    for (const secret of [
      ...Object.values(SECRETS),
      'query-token-88a1',
      'header-token-42aa',
      'cookie-token-77bc',
    ]) {
      expect(sent).not.toContain(secret);
    }
  });

  it('is off without SENTRY_DSN', () => {
    expect(initSentry(parseConfig({ ...process.env, SENTRY_DSN: '' }), 'api')).toBe(false);
  });
});
