import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { BaseRepository, DataContext } from '@fittrack/core';
import { ActivityFlag, type FlagStatus } from './entities/activity-flag.entity';

/** The admin queue of held (implausible) activities. */
@Injectable()
export class ActivityFlagsRepository extends BaseRepository<ActivityFlag> {
  protected readonly entityName = 'Activity flag';

  constructor(data: DataContext) {
    super(data, ActivityFlag, {
      filters: { status: 'status' },
      sorts: { created_at: 'createdAt' },
      defaultSort: '-created_at',
    });
  }

  findByActivity(activityId: string): Promise<ActivityFlag | null> {
    return this.repository.findOneBy({ activityId });
  }

  /** A page's rows with their activity. */
  protected override loadByIds(ids: string[]): Promise<ActivityFlag[]> {
    return this.repository.find({ where: { id: In(ids) }, relations: { activity: true } });
  }

  /**
   * Decides an open flag: a conditional update whose row count decides, so two admins deciding at once
   * cannot both win. False when the flag is missing or already decided.
   */
  async decide(id: string, status: Exclude<FlagStatus, 'open'>, decidedBy: string | null): Promise<boolean> {
    const now = this.data.clock.now();
    const result = await this.repository
      .createQueryBuilder()
      .update()
      .set({ status, decidedBy, decidedAt: now, updatedAt: now })
      .where("id = :id AND status = 'open'", { id })
      .execute();
    return result.affected === 1;
  }
}
