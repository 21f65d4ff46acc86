import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiEndpoint, Authenticated, CurrentUser, mapPage, type Page, type Principal } from '@fittrack/core';
import { PointsService } from './points.service';
import {
  BalanceQueryDto,
  BalanceResponseDto,
  ListTransactionsQueryDto,
  PointTransactionResponseDto,
  toTransactionResponse,
  TRANSACTION_EXAMPLE,
} from './dto/points.dto';

@ApiTags('points')
@ApiBearerAuth('bearer')
@Controller('points')
@Authenticated()
export class PointsController {
  constructor(private readonly points: PointsService) {}

  @Get('transactions')
  @ApiEndpoint('List point transactions', {
    description:
      "The caller's ledger, newest first; admins see any user's with `filter[user_id]`, or everyone's.",
    errors: {
      403: 'Insufficient permissions',
      422: ['page must not be less than 1', 'property nope should not exist'],
    },
  })
  @ApiOkResponse({
    description: "The caller's ledger, newest first (admins: any user's via filter[user_id], or everyone's)",
    example: { data: [TRANSACTION_EXAMPLE], meta: { page: 1, per_page: 20, total: 1, total_pages: 1 } },
  })
  async listPointTransactions(
    @Query() query: ListTransactionsQueryDto,
    @CurrentUser() principal: Principal,
  ): Promise<Page<PointTransactionResponseDto>> {
    return mapPage(await this.points.transactions(query, principal), toTransactionResponse);
  }

  @Get('balance')
  @ApiEndpoint('Get my point balance', {
    description: "Balance and today's earning against the daily cap; admins may ask for any `user_id`.",
    errors: { 403: 'Insufficient permissions', 404: 'User not found', 422: 'user_id must be a UUID' },
  })
  @ApiOkResponse({
    description: "The caller's balance and today's earning against the daily cap",
    type: BalanceResponseDto,
    example: { point_balance: 1420, total_points_earned: 5210, today_earned: 340, daily_cap: 1000 },
  })
  getPointBalance(
    @Query() query: BalanceQueryDto,
    @CurrentUser() principal: Principal,
  ): Promise<BalanceResponseDto> {
    return this.points.balance(principal, query.user_id);
  }
}
