import { Injectable } from '@nestjs/common';
import {
  type AppConfig,
  type Caller,
  Clock,
  InjectConfig,
  NotFoundError,
  type Page,
  scopeToOwner,
  UnauthorizedError,
  userIdOf,
} from '@fittrack/core';
import { UsersRepository } from '@fittrack/users';
import { LedgerService, type PostResult } from './ledger.service';
import { PointTransactionsRepository } from './point-transactions.repository';
import type { PointTransaction } from './entities/point-transaction.entity';
import { RULES, userDay } from './rules/points-rules';
import type { AdjustPointsDto, BalanceResponseDto, ListTransactionsQueryDto } from './dto/points.dto';

@Injectable()
export class PointsService {
  constructor(
    private readonly ledger: PointTransactionsRepository,
    private readonly ledgerService: LedgerService,
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
    // "Today" where the user is: the day their records count for (domain-rules, Time).
    const today = userDay(this.clock.now(), {
      profileTimeZone: user.profile?.timezone ?? null,
      competitionTimeZone: this.config.competitionTimeZone,
    });
    return {
      point_balance: user.pointBalance,
      total_points_earned: user.totalPointsEarned,
      today_earned: await this.ledger.earnedOn(userId, today),
      daily_cap: RULES.DAILY_CAP,
    };
  }

  /**
   * An admin's correction: an `adjust` entry referencing the admin, never below a zero balance (409). A
   * retried request with the same Idempotency-Key returns the first entry.
   */
  adjust(userId: string, dto: AdjustPointsDto, adminId: string, idempotencyKey: string): Promise<PostResult> {
    return this.ledgerService.post({
      userId,
      type: 'adjust',
      amount: dto.amount,
      reference: { type: 'admin', id: adminId },
      description: `Adjusted by an admin: ${dto.reason}`,
      idempotencyKey: `admin-adjust:${userId}:${idempotencyKey}`,
    });
  }
}
