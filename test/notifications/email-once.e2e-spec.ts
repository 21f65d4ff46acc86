import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import Bull from 'bull';
import { SMTPServer } from 'smtp-server';
import { JobName, QueueName } from '@fittrack/core';
import { EmailOutboxRepository, EmailService } from '@fittrack/notifications';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { EmailSender } from '../../libs/notifications/src/email.sender';
import { createTestApp, TestApp, withEnv } from '../support/test-app';

/** A real SMTP server on a random port that records each recipient it accepted. */
async function startSmtp(): Promise<{ server: SMTPServer; url: string; received: string[] }> {
  const received: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      stream.resume();
      stream.on('end', () => {
        received.push(...session.envelope.rcptTo.map((r) => r.address));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { server, url: `smtp://127.0.0.1:${port}`, received };
}

async function waitFor<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const onPostgres = process.env.TEST_DB === 'postgres';

if (onPostgres) {
  /**
   * Two worker processes (each its own PostgreSQL pool and Bull consumer) and the API enqueueing on Redis:
   * however the same outbox row reaches both, one email goes out.
   */
  describe('an outbox email is sent at most once (PostgreSQL + Redis, two workers)', () => {
    const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
    const prefix = `fittrack-test-${randomUUID()}`;
    const env = { REDIS_URL: redisUrl, QUEUE_PREFIX: prefix, EMAIL_MAX_ATTEMPTS: '2' };
    let smtp: Awaited<ReturnType<typeof startSmtp>>;
    let api: TestApp;
    let workers: TestingModule[] = [];

    beforeAll(async () => {
      smtp = await startSmtp();
      await withEnv({ ...env, SMTP_URL: smtp.url }, async () => {
        api = await createTestApp();
        for (let i = 0; i < 2; i++) {
          const worker = await Test.createTestingModule({ imports: [WorkerModule] }).compile();
          worker.useLogger(['error', 'warn']);
          await worker.init();
          workers.push(worker);
        }
      });
    });

    afterAll(async () => {
      await Promise.all(workers.map((worker) => worker.close()));
      workers = [];
      await api?.close();
      const cleanup = new Bull(QueueName.Email, redisUrl, { prefix });
      await cleanup.obliterate({ force: true });
      await cleanup.close();
      await new Promise<void>((resolve) => smtp.server.close(() => resolve()));
    });

    const record = (to: string) => api.app.get(EmailService).record(to, 'welcome', { name: 'Robin' });
    const outbox = () => api.app.get(EmailOutboxRepository);

    it('two workers delivering the same row at the same moment: one sends', async () => {
      const to = `${randomUUID()}@example.com`;
      const outboxId = await record(to);
      await Promise.all(workers.map((worker) => worker.get(EmailSender).deliver({ outboxId })));
      expect(smtp.received.filter((address) => address === to)).toHaveLength(1);
      expect(await outbox().getOrFail(outboxId)).toMatchObject({ status: 'sent', attempts: 1 });
    });

    it('the same row queued twice (a redelivered job) and consumed by both workers: one email', async () => {
      const to = `${randomUUID()}@example.com`;
      const outboxId = await record(to);
      const queue = new Bull(QueueName.Email, redisUrl, { prefix });
      try {
        await Promise.all(
          ['a', 'b', 'c'].map((run) =>
            queue.add(JobName.SendEmail, { outboxId }, { jobId: `redo:${run}:${outboxId}` }),
          ),
        );
        const status = await waitFor(
          async () => (await outbox().getOrFail(outboxId)).status,
          (value) => value === 'sent',
        );
        expect(status).toBe('sent');
        await api.drainJobs();
      } finally {
        await queue.close();
      }
      expect(smtp.received.filter((address) => address === to)).toHaveLength(1);
      expect((await outbox().getOrFail(outboxId)).attempts).toBe(1);
    }, 20_000);

    it('EMAIL_MAX_ATTEMPTS is the queue job’s attempts; a job for a missing row logs an error and fails', async () => {
      const errors = jest.spyOn(Logger.prototype, 'error');
      const outboxId = randomUUID();
      await api.app.get(EmailService).dispatch(outboxId);
      const queue = new Bull(QueueName.Email, redisUrl, { prefix });
      try {
        const job = await waitFor(
          async () => (await queue.getJob(`email:${outboxId}`))!,
          (found) => Boolean(found?.finishedOn),
        );
        expect(job.opts.attempts).toBe(2);
        expect(job.attemptsMade).toBe(2);
        expect(job.failedReason).toBe(`Email ${outboxId} is not in the outbox`);
        expect(errors).toHaveBeenCalledWith(`Email ${outboxId} is not in the outbox; nothing was sent`);
      } finally {
        errors.mockRestore();
        await queue.close();
      }
    }, 20_000);
  });
} else {
  describe('an outbox email is sent at most once (embedded SQLite)', () => {
    let smtp: Awaited<ReturnType<typeof startSmtp>>;
    let t: TestApp;

    beforeAll(async () => {
      smtp = await startSmtp();
      t = await withEnv({ SMTP_URL: smtp.url }, () => createTestApp());
    });
    afterAll(async () => {
      await t?.close();
      await new Promise<void>((resolve) => smtp.server.close(() => resolve()));
    });

    it('two deliveries of the same row at the same moment: one sends', async () => {
      const to = `${randomUUID()}@example.com`;
      const outboxId = await t.app.get(EmailService).record(to, 'welcome', { name: 'Sam' });
      const sender = t.app.get(EmailSender);
      await Promise.all([sender.deliver({ outboxId }), sender.deliver({ outboxId })]);
      expect(smtp.received.filter((address) => address === to)).toHaveLength(1);
      expect(await t.app.get(EmailOutboxRepository).getOrFail(outboxId)).toMatchObject({
        status: 'sent',
        attempts: 1,
      });
    });
  });
}
