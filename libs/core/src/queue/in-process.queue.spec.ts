import { Logger } from '@nestjs/common';
import { InProcessQueue } from './in-process.queue';
import { JobHandlerFn, JobName } from './jobs';

describe('InProcessQueue', () => {
  let queue: InProcessQueue;
  let calls: Array<{ data: unknown; attempt: number; at: number }>;
  let failUntilAttempt: number;

  beforeEach(async () => {
    jest.useFakeTimers({ now: 0 });
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    calls = [];
    failUntilAttempt = 0;
    queue = new InProcessQueue();
    const handler: JobHandlerFn = async (data, attempt) => {
      calls.push({ data, attempt, at: Date.now() });
      if (attempt <= failUntilAttempt) throw new Error(`boom ${attempt}`);
    };
    await queue.startProcessing(new Map([[JobName.SendEmail, handler]]));
  });

  afterEach(async () => {
    await queue.close();
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('runs a job on the next tick with attempt 1', async () => {
    await queue.enqueue(JobName.SendEmail, { outboxId: 'a' });
    expect(calls).toEqual([]);
    await jest.advanceTimersByTimeAsync(0);
    expect(calls).toEqual([{ data: { outboxId: 'a' }, attempt: 1, at: 0 }]);
  });

  it('retries failures with exponential backoff, up to the attempt limit', async () => {
    failUntilAttempt = 99;
    await queue.enqueue(JobName.SendEmail, { outboxId: 'b' }, { attempts: 3, backoffMs: 1000 });
    await jest.advanceTimersByTimeAsync(0);
    expect(calls.map((c) => c.attempt)).toEqual([1]);
    await jest.advanceTimersByTimeAsync(999);
    expect(calls).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(calls.map((c) => [c.attempt, c.at])).toEqual([
      [1, 0],
      [2, 1000],
    ]);
    await jest.advanceTimersByTimeAsync(2000);
    expect(calls.map((c) => [c.attempt, c.at])).toEqual([
      [1, 0],
      [2, 1000],
      [3, 3000],
    ]);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(3);
  });

  it('stops retrying once an attempt succeeds', async () => {
    failUntilAttempt = 1;
    await queue.enqueue(JobName.SendEmail, { outboxId: 'c' }, { backoffMs: 10 });
    await jest.advanceTimersByTimeAsync(60_000);
    expect(calls.map((c) => c.attempt)).toEqual([1, 2]);
  });

  it('drops a second job with the same jobId, keeps jobs with other ids', async () => {
    await queue.enqueue(JobName.SendEmail, { n: 1 }, { jobId: 'email:1' });
    await queue.enqueue(JobName.SendEmail, { n: 2 }, { jobId: 'email:1' });
    await queue.enqueue(JobName.SendEmail, { n: 3 }, { jobId: 'email:2' });
    await queue.enqueue(JobName.SendEmail, { n: 4 });
    await jest.advanceTimersByTimeAsync(0);
    expect(calls.map((c) => c.data)).toEqual([{ n: 1 }, { n: 3 }, { n: 4 }]);
  });

  it('honours delayMs and drain waits for delayed jobs and their retries', async () => {
    jest.useRealTimers();
    failUntilAttempt = 1;
    await queue.enqueue(JobName.SendEmail, { outboxId: 'd' }, { delayMs: 20, backoffMs: 20 });
    expect(calls).toHaveLength(0);
    await queue.drain();
    expect(calls.map((c) => c.attempt)).toEqual([1, 2]);
  });

  it('after close, pending jobs never run', async () => {
    await queue.enqueue(JobName.SendEmail, { outboxId: 'e' }, { delayMs: 500 });
    await queue.close();
    await jest.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(0);
  });
});
