import { Injectable } from '@nestjs/common';
import { canAccessOwned, NotFoundError, type Page, type Principal, scopeToOwner } from '@fittrack/core';
import { ActivitiesRepository } from './activities.repository';
import type { Activity } from './entities/activity.entity';
import type { ListActivitiesQueryDto } from './dto/activities.dto';

/** Reads of synced activities: users see their own, admins anyone's. */
@Injectable()
export class ActivitiesService {
  constructor(private readonly activities: ActivitiesRepository) {}

  list(query: ListActivitiesQueryDto, principal?: Principal): Promise<Page<Activity>> {
    const userId = scopeToOwner(principal, query.filter?.user_id);
    return this.activities.list({ ...query, filter: { ...query.filter, user_id: userId } });
  }

  /** Someone else's activity is a 404, like a missing one. */
  async get(id: string, principal?: Principal): Promise<Activity> {
    const activity = await this.activities.get(id);
    if (!activity || !canAccessOwned(principal, activity.userId)) throw new NotFoundError('Activity');
    return activity;
  }
}
