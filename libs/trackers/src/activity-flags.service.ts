import { Injectable } from '@nestjs/common';
import {
  type Caller,
  ConflictError,
  ForbiddenError,
  hasFullAccess,
  NotFoundError,
  type Page,
  UnitOfWork,
  userIdOf,
} from '@fittrack/core';
import { ActivitiesRepository } from './activities.repository';
import { ActivityFlagsRepository } from './activity-flags.repository';
import type { ActivityFlag } from './entities/activity-flag.entity';
import type { ListActivityFlagsQueryDto } from './dto/activity-flags.dto';
import { IngestionService } from './ingestion.service';

function requireAdmin(caller: Caller): void {
  if (!hasFullAccess(caller)) throw new ForbiddenError();
}

/** The admin queue of implausible activities: approve pays the activity under its day's rules, reject is final. */
@Injectable()
export class ActivityFlagsService {
  constructor(
    private readonly flags: ActivityFlagsRepository,
    private readonly activities: ActivitiesRepository,
    private readonly ingestion: IngestionService,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  list(query: ListActivityFlagsQueryDto, caller: Caller): Promise<Page<ActivityFlag>> {
    requireAdmin(caller);
    return this.flags.list(query);
  }

  /** The activity is paid as if it had just arrived: its day is recomputed (if still open). */
  approve(id: string, caller: Caller): Promise<ActivityFlag> {
    return this.decide(id, 'approved', caller);
  }

  /** The activity stays at 0 points for good. */
  reject(id: string, caller: Caller): Promise<ActivityFlag> {
    return this.decide(id, 'rejected', caller);
  }

  private async decide(id: string, status: 'approved' | 'rejected', caller: Caller): Promise<ActivityFlag> {
    requireAdmin(caller);
    return this.unitOfWork.run(async () => {
      if (!(await this.flags.decide(id, status, userIdOf(caller)))) {
        const flag = await this.flags.get(id);
        if (!flag) throw new NotFoundError('Activity flag');
        throw new ConflictError(`Flag already ${flag.status}`);
      }
      const flag = await this.flags.getOrFail(id);
      const activity = await this.activities.getOrFail(flag.activityId);
      await this.activities.patch(activity.id, { reviewStatus: status });
      if (status === 'approved') await this.ingestion.recomputeDays(activity.userId, [activity.day]);
      return flag;
    });
  }
}
