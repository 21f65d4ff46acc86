import { Logger } from '@nestjs/common';
import { ManualClock, ServiceUnavailableError } from '@fittrack/core';
import type { DeniedAccessTokensRepository } from './denied-access-tokens.repository';
import { AccessTokenDenyList, type RedisDenyCache } from './deny-list';

describe('AccessTokenDenyList', () => {
  const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
  const inAMinute = () => clock.now().getTime() / 1000 + 60;
  let tokens: { deny: jest.Mock; isDenied: jest.Mock };
  let cache: { add: jest.Mock; lookup: jest.Mock; ping: jest.Mock; close: jest.Mock };
  const list = (withCache: boolean) =>
    new AccessTokenDenyList(
      tokens as unknown as DeniedAccessTokensRepository,
      clock,
      withCache ? (cache as unknown as RedisDenyCache) : null,
    );
  const dbDown = () => Promise.reject(new Error('connect ECONNREFUSED'));

  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    tokens = { deny: jest.fn().mockResolvedValue(undefined), isDenied: jest.fn().mockResolvedValue(false) };
    cache = {
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

  it('without Redis the database answers', async () => {
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
