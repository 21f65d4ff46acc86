import { Injectable } from '@nestjs/common';
import { type Caller, canAccessOwned, NotFoundError, type Page, scopeToOwner } from '@fittrack/core';
import { ActivitiesRepository } from './activities.repository';
import type { Activity } from './entities/activity.entity';
import type { ListActivitiesQueryDto } from './dto/activities.dto';

/** Reads of synced activities: users see their own, admins anyone's. */
@Injectable()
export class ActivitiesService {
  constructor(private readonly activities: ActivitiesRepository) {}

  async list(query: ListActivitiesQueryDto, caller: Caller): Promise<Page<Activity>> {
    const userId = scopeToOwner(caller, query.filter?.user_id);
    return this.activities.list({ ...query, filter: { ...query.filter, user_id: userId } });
  }

  /** Someone else's activity is a 404, like a missing one. */
  async get(id: string, caller: Caller): Promise<Activity> {
    const activity = await this.activities.get(id);
    if (!activity || !canAccessOwned(caller, activity.userId)) throw new NotFoundError('Activity');
    return activity;
  }
}
