import { Injectable } from '@nestjs/common';
import {
  addDays,
  type AppConfig,
  BaseRepository,
  DataContext,
  InjectConfig,
  LIST_ALIAS,
  startOfDayIn,
} from '@fittrack/core';
import { Activity } from './entities/activity.entity';

/** Activities; date filters are whole calendar days in the competition time zone. */
@Injectable()
export class ActivitiesRepository extends BaseRepository<Activity> {
  protected readonly entityName = 'Activity';

  constructor(data: DataContext, @InjectConfig() config: AppConfig) {
    const zone = config.competitionTimeZone;
    super(data, Activity, {
      filters: {
        activity_type: 'activityType',
        user_id: 'userId',
        start_date: (qb, date) =>
          qb.andWhere(`${LIST_ALIAS}.startTime >= :fromTime`, { fromTime: startOfDayIn(date, zone) }),
        // Inclusive: everything starting before the next day begins.
        end_date: (qb, date) =>
          qb.andWhere(`${LIST_ALIAS}.startTime < :toTime`, { toTime: startOfDayIn(addDays(date, 1), zone) }),
      },
      sorts: { start_time: 'startTime', created_at: 'createdAt', points_earned: 'pointsEarned' },
      defaultSort: '-start_time',
    });
  }
}
