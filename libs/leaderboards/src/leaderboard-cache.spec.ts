import { type ChildProcess, spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import type { Cache } from 'cache-manager';
import { type AppConfig, Metrics } from '@fittrack/core';
import { LeaderboardCache } from './leaderboard-cache';

/**
 * A cache whose answers come over a socket from another process, as Redis's do: the reply reaches this
 * process in the event loop's I/O phase, however long the process was busy before reading it.
 */
describe('LeaderboardCache while the process is busy', () => {
  let echo: ChildProcess;
  let socket: Socket;

  beforeAll(async () => {
    echo = spawn(
      process.execPath,
      [
        '-e',
        "const s = require('net').createServer((c) => c.on('data', (d) => c.write(d))).listen(0, '127.0.0.1', () => console.log(s.address().port));",
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const port = await new Promise<number>((resolve) =>
      echo.stdout!.once('data', (d) => resolve(Number(String(d)))),
    );
    socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
  });
  afterAll(() => {
    socket.destroy();
    echo.kill();
  });

  it('takes a reply that arrived while the event loop was blocked longer than the timeout', async () => {
    const cache = {
      // Written at once; answered by the other process while this one is still blocked.
      get: () =>
        new Promise((resolve) => {
          socket.once('data', () => resolve('generation-1'));
          socket.write('get');
        }),
    } as unknown as Cache;
    const config = { leaderboards: { cacheTtlSeconds: 60 } } as AppConfig;
    const leaderboards = new LeaderboardCache(cache, config, new Metrics());
    const pending = leaderboards.generation({ tierCode: 'OPEN', periodKey: 'alltime' });
    const until = Date.now() + 600; // twice the cache's timeout, in one synchronous stretch
    while (Date.now() < until);
    // Not null (the cache taken for down and the board read from the database): the reply was there.
    expect(await pending).toBe('generation-1');
  });
});

describe('LeaderboardCache reads at the same instant', () => {
  it('share one load of a part per generation; the read that joined it loaded nothing', async () => {
    const cache = {
      get: async () => 'generation-1',
      mget: async (keys: string[]) => keys.map(() => undefined),
      set: async () => undefined,
    } as unknown as Cache;
    const leaderboards = new LeaderboardCache(
      cache,
      { leaderboards: { cacheTtlSeconds: 60 } } as AppConfig,
      new Metrics(),
    );
    const board = { tierCode: 'OPEN', periodKey: 'alltime' };
    let loads = 0;
    let finish!: (value: string) => void;
    const part = {
      part: 'board',
      load: () => {
        loads += 1;
        return new Promise<string>((resolve) => (finish = resolve));
      },
      local: (value: string) => value,
    };
    const generation = await leaderboards.generation(board);
    const first = leaderboards.parts(board, generation, [part] as const);
    const second = leaderboards.parts(board, generation, [part] as const);
    await new Promise((resolve) => setImmediate(resolve)); // both are waiting on the one load
    finish('rows');
    expect(await first).toEqual({ values: ['rows'], hit: false });
    expect(await second).toEqual({ values: ['rows'], hit: true });
    expect(loads).toBe(1);
    // Later reads of that generation: this process's copy.
    expect(await leaderboards.parts(board, generation, [part] as const)).toEqual({
      values: ['rows'],
      hit: true,
    });
    expect(loads).toBe(1);
  });
});
