import { Injectable } from '@nestjs/common';
import {
  type AppConfig,
  type Caller,
  calendarDateIn,
  Clock,
  InjectConfig,
  NotFoundError,
  type Page,
  scopeToOwner,
  startOfDayIn,
  UnauthorizedError,
  userIdOf,
} from '@fittrack/core';
import { UsersRepository } from '@fittrack/users';
import { PointTransactionsRepository } from './point-transactions.repository';
import type { PointTransaction } from './entities/point-transaction.entity';
import type { BalanceResponseDto, ListTransactionsQueryDto } from './dto/points.dto';

/** Points a user can earn per competition day, after multipliers and bonuses. */
export const DAILY_POINTS_CAP = 1000;

@Injectable()
export class PointsService {
  constructor(
    private readonly ledger: PointTransactionsRepository,
    private readonly users: UsersRepository,
    private readonly clock: Clock,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async transactions(query: ListTransactionsQueryDto, caller: Caller): Promise<Page<PointTransaction>> {
    const userId = scopeToOwner(caller, query.filter?.user_id);
    return this.ledger.list({ ...query, filter: { ...query.filter, user_id: userId } });
  }

  async balance(caller: Caller, requestedUserId?: string): Promise<BalanceResponseDto> {
    // Admins may ask for anyone; everyone else (and an admin by default) gets their own balance.
    const userId = scopeToOwner(caller, requestedUserId) ?? userIdOf(caller);
    if (!userId) throw new UnauthorizedError();
    const user = await this.users.get(userId);
    if (!user) throw new NotFoundError('User');
    const zone = this.config.competitionTimeZone;
    const dayStart = startOfDayIn(calendarDateIn(this.clock.now(), zone), zone);
    return {
      point_balance: user.pointBalance,
      total_points_earned: user.totalPointsEarned,
      today_earned: await this.ledger.earnedSince(userId, dayStart),
      daily_cap: DAILY_POINTS_CAP,
    };
  }
}
