import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  NotEquals,
  ValidateNested,
} from 'class-validator';
import { IsSort, ListQueryDto } from '@fittrack/core';
import {
  type PointTransaction,
  type ReferenceType,
  TRANSACTION_TYPES,
  type TransactionType,
} from '../entities/point-transaction.entity';

export class TransactionsFilterDto {
  @IsOptional()
  @IsIn(TRANSACTION_TYPES)
  transaction_type?: TransactionType;

  /** Admin only: another user's ledger */
  @IsOptional()
  @IsUUID('all')
  user_id?: string;
}

export class ListTransactionsQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ type: TransactionsFilterDto, description: '`filter[transaction_type]=earn`' })
  @IsOptional()
  @ValidateNested()
  @Type(() => TransactionsFilterDto)
  filter?: TransactionsFilterDto;

  @IsSort(['created_at', 'amount', 'sequence'])
  declare sort?: string;
}

export class BalanceQueryDto {
  /** Admin only: whose balance (default: the caller's) */
  @IsOptional()
  @IsUUID('all')
  user_id?: string;
}

export class PointTransactionResponseDto {
  id!: string;
  user_id!: string;
  transaction_type!: TransactionType;
  /** Signed: earn/refund positive, spend negative, adjust either */
  amount!: number;
  balance_after!: number;
  /** The entry's place in the user's ledger: 1, 2, 3, … without gaps */
  sequence!: number;
  /** Earning entries: the day (YYYY-MM-DD) the points count for, toward that day's cap */
  earned_on!: string | null;
  reference_type!: ReferenceType | null;
  reference_id!: string | null;
  description!: string;
  created_at!: string;
}

export class BalanceResponseDto {
  point_balance!: number;
  total_points_earned!: number;
  /** Earned today (competition time zone) toward the daily cap */
  today_earned!: number;
  daily_cap!: number;
}

export function toTransactionResponse(row: PointTransaction): PointTransactionResponseDto {
  return {
    id: row.id,
    user_id: row.userId,
    transaction_type: row.transactionType,
    amount: row.amount,
    balance_after: row.balanceAfter,
    sequence: row.sequence,
    earned_on: row.earnedOn,
    reference_type: row.referenceType,
    reference_id: row.referenceId,
    description: row.description,
    created_at: new Date(row.createdAt).toISOString(),
  };
}

export const TRANSACTION_EXAMPLE: PointTransactionResponseDto = {
  id: '9b2f0c1e-3d4a-4b5c-8d6e-7f8091a2b3c4',
  user_id: '550e8400-e29b-41d4-a716-446655440000',
  transaction_type: 'earn',
  amount: 108,
  balance_after: 1420,
  sequence: 17,
  earned_on: '2026-01-16',
  reference_type: 'activity',
  reference_id: '3f0e2a8c-6a1b-4d2e-9f3a-1b2c3d4e5f60',
  description: 'Workout: 30 vigorous minutes',
  created_at: '2026-01-16T12:31:05.000Z',
};

export class AdjustPointsDto {
  /** Signed whole points: positive credits, negative debits (never below a zero balance) */
  @IsInt()
  @NotEquals(0, { message: 'amount must not be 0' })
  amount!: number;

  /** Why, for the user's ledger and the audit trail */
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  reason!: string;
}

export class AdjustPointsResponseDto {
  transaction!: PointTransactionResponseDto;
  point_balance!: number;
  /** True when this Idempotency-Key was used before: `transaction` is the first result */
  replayed!: boolean;
}
