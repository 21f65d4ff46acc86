import {
  type AppConfig,
  type Caller,
  type Principal,
  SYSTEM_PRINCIPAL,
  UnauthorizedError,
} from '@fittrack/core';
import type { ActivitiesRepository } from './activities.repository';
import { ActivitiesService } from './activities.service';
import type { IngestionService } from './ingestion.service';
import type { ListActivitiesQueryDto } from './dto/activities.dto';

describe('ActivitiesService access', () => {
  const page = { data: [], meta: { page: 1, per_page: 20, total: 0, total_pages: 0 } };
  const activity = { id: 'act-1', userId: 'u-2' };
  let repository: { list: jest.Mock; get: jest.Mock };
  let service: ActivitiesService;
  const query = { page: 1, per_page: 20, filter: { user_id: 'u-2' } } as ListActivitiesQueryDto;
  const user: Principal = { userId: 'u-1', email: 'u@example.com', role: 'user', jti: 'j', exp: 0 };

  beforeEach(() => {
    repository = { list: jest.fn().mockResolvedValue(page), get: jest.fn().mockResolvedValue(activity) };
    service = new ActivitiesService(
      repository as unknown as ActivitiesRepository,
      {} as IngestionService,
      { now: () => new Date('2026-01-16T15:00:00Z') },
      { competitionTimeZone: 'America/New_York' } as AppConfig,
    );
  });

  it('the system principal, passed on purpose, reads anyone’s activities', async () => {
    await service.list(query, SYSTEM_PRINCIPAL);
    expect(repository.list).toHaveBeenCalledWith({ ...query, filter: { user_id: 'u-2' } });
    await expect(service.get('act-1', SYSTEM_PRINCIPAL)).resolves.toBe(activity);
  });

  it('a user reads only their own', async () => {
    await expect(service.list(query, user)).rejects.toThrow('Insufficient permissions');
    await expect(service.get('act-1', user)).rejects.toThrow('Activity not found');
  });

  it('without a caller the service refuses before reading anything', async () => {
    const nobody = undefined as unknown as Caller;
    await expect(service.list(query, nobody)).rejects.toThrow(UnauthorizedError);
    expect(repository.list).not.toHaveBeenCalled();
    await expect(service.get('act-1', nobody)).rejects.toThrow(UnauthorizedError);
  });
});
