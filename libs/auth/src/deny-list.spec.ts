import { Logger } from '@nestjs/common';
import { ManualClock, ServiceUnavailableError } from '@fittrack/core';
import type { DeniedAccessTokensRepository } from './denied-access-tokens.repository';
import { AccessTokenDenyList, type DenyCache, MemoryDenyCache } from './deny-list';

describe('AccessTokenDenyList', () => {
  const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
  const inAMinute = () => clock.now().getTime() / 1000 + 60;
  let tokens: { deny: jest.Mock; isDenied: jest.Mock };
  let cache: { source: string; add: jest.Mock; lookup: jest.Mock; ping: jest.Mock; close: jest.Mock };
  /** With Redis in front, or with a cache that cannot say for sure yet (a memory copy not yet filled). */
  const list = (withRedis: boolean) => {
    if (!withRedis) {
      Object.assign(cache, { source: 'memory' });
      cache.lookup.mockResolvedValue(null);
      cache.ping.mockResolvedValue(false);
    }
    return new AccessTokenDenyList(
      tokens as unknown as DeniedAccessTokensRepository,
      clock,
      cache as unknown as DenyCache,
    );
  };
  const dbDown = () => Promise.reject(new Error('connect ECONNREFUSED'));

  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    tokens = { deny: jest.fn().mockResolvedValue(undefined), isDenied: jest.fn().mockResolvedValue(false) };
    cache = {
      source: 'redis',
      add: jest.fn().mockResolvedValue(undefined),
      lookup: jest.fn().mockResolvedValue(null),
      ping: jest.fn().mockResolvedValue(true),
      close: jest.fn(),
    };
  });
  afterEach(() => jest.restoreAllMocks());

  it('records a denial in the database until the token expires; an expired token needs none', async () => {
    await list(false).deny('a', inAMinute());
    expect(tokens.deny).toHaveBeenCalledWith('a', new Date('2026-01-01T00:01:00Z'), clock.now());
    await list(false).deny('old', clock.now().getTime() / 1000 - 1);
    expect(tokens.deny).toHaveBeenCalledTimes(1);
  });

  it('a cache unsure of the answer sends the check to the database', async () => {
    tokens.isDenied.mockResolvedValue(true);
    expect(await list(false).isDenied('a')).toBe(true);
    expect(tokens.isDenied).toHaveBeenCalledWith('a', clock.now());
  });

  it('a sure answer from Redis costs no SQL; an unsure one asks the database', async () => {
    cache.lookup.mockResolvedValueOnce(true).mockResolvedValueOnce(false).mockResolvedValueOnce(null);
    tokens.isDenied.mockResolvedValue(true);
    const denyList = list(true);
    expect(await denyList.isDenied('a')).toBe(true);
    expect(await denyList.isDenied('b')).toBe(false);
    expect(tokens.isDenied).not.toHaveBeenCalled();
    expect(await denyList.isDenied('c')).toBe(true);
    expect(tokens.isDenied).toHaveBeenCalledWith('c', clock.now());
  });

  it('writes Redis and the database', async () => {
    await list(true).deny('a', inAMinute());
    expect(cache.add).toHaveBeenCalledWith('a', new Date('2026-01-01T00:01:00Z'));
    expect(tokens.deny).toHaveBeenCalled();
  });

  it('when neither can answer it fails closed with 503, never "not denied"', async () => {
    tokens.isDenied.mockImplementation(dbDown);
    await expect(list(true).isDenied('a')).rejects.toThrow(ServiceUnavailableError);
    await expect(list(false).isDenied('a')).rejects.toThrow(ServiceUnavailableError);
    tokens.deny.mockImplementation(dbDown);
    await expect(list(false).deny('a', inAMinute())).rejects.toThrow(ServiceUnavailableError);
  });

  it('readiness names the store that answers, and fails when none does', async () => {
    expect(await list(true).readiness()).toEqual({ source: 'redis' });
    cache.ping.mockResolvedValue(false);
    expect(await list(true).readiness()).toEqual({ source: 'database', redis: 'unreachable' });
    expect(await list(false).readiness()).toEqual({ source: 'database' });
    tokens.isDenied.mockImplementation(dbDown);
    await expect(list(true).readiness()).rejects.toThrow('ECONNREFUSED');
  });
});

describe('MemoryDenyCache', () => {
  const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
  const at = (seconds: number) => new Date(clock.now().getTime() + seconds * 1000);

  it('copies nothing until first used; is unsure until the copy succeeds, then answers from memory alone', async () => {
    const live = jest
      .fn()
      .mockRejectedValueOnce(new Error('connect ECONNREFUSED'))
      .mockResolvedValue([{ id: 'copied', expiresAt: at(60) }]);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const cache = new MemoryDenyCache(live, clock);
    expect(live).not.toHaveBeenCalled();
    expect(await cache.lookup('copied')).toBeNull(); // starts the copy, which fails
    await cache.close();
    expect(await cache.lookup('copied')).toBeNull(); // and starts another
    await cache.close();
    expect(await cache.lookup('copied')).toBe(true);
    expect(await cache.lookup('other')).toBe(false);
    expect(live).toHaveBeenCalledTimes(2);
    jest.restoreAllMocks();
  });

  it('readiness copies the denials if nothing has yet, and says whether it holds them', async () => {
    const cache = new MemoryDenyCache(() => Promise.resolve([{ id: 'copied', expiresAt: at(60) }]), clock);
    expect(await cache.ping()).toBe(true);
    expect(await cache.lookup('copied')).toBe(true);
  });

  it('keeps a denial added while the copy is read, and forgets each one once its token has expired', async () => {
    let finishCopy: (rows: Array<{ id: string; expiresAt: Date }>) => void = () => undefined;
    const cache = new MemoryDenyCache(() => new Promise((resolve) => (finishCopy = resolve)), clock);
    cache.warm();
    await cache.add('during-copy', at(30));
    expect(await cache.lookup('during-copy')).toBe(true);
    finishCopy([{ id: 'copied', expiresAt: at(90) }]);
    await cache.close();
    expect(await cache.lookup('during-copy')).toBe(true);
    expect(await cache.lookup('copied')).toBe(true);
    clock.advance(31_000);
    expect(await cache.lookup('during-copy')).toBe(false);
    expect(await cache.lookup('copied')).toBe(true);
    await cache.add('expired-already', at(-1));
    expect(await cache.lookup('expired-already')).toBe(false);
  });
});
