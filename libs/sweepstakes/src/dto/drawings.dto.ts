import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { ifNotNull, ifPresent, IsSort, ListQueryDto, trim } from '@fittrack/core';
import {
  type Drawing,
  type DrawingEligibility,
  DRAWING_STATUSES,
  DRAWING_TYPES,
  type DrawingStatus,
  type DrawingType,
} from '../entities/drawing.entity';
import { FULFILLMENT_TYPES, type FulfillmentType, type Prize } from '../entities/prize.entity';

export class DrawingsFilterDto {
  @IsOptional()
  @IsIn(DRAWING_STATUSES)
  status?: DrawingStatus;

  @IsOptional()
  @IsIn(DRAWING_TYPES)
  drawing_type?: DrawingType;
}

export class ListDrawingsQueryDto extends ListQueryDto {
  @ApiPropertyOptional({
    type: DrawingsFilterDto,
    description: '`filter[status]=open&filter[drawing_type]=daily`',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => DrawingsFilterDto)
  filter?: DrawingsFilterDto;

  @IsSort(['drawing_time', 'created_at'])
  declare sort?: string;
}

export class PrizeInputDto {
  /** 1 = first prize; ranks must be 1..n without gaps @example 1 */
  @IsInt()
  @Min(1)
  @Max(1000)
  rank!: number;

  /** @example "$50 Amazon Gift Card" */
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name!: string;

  @ValidateIf(ifNotNull)
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  /** @example 50 */
  @IsNumber({ maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(10_000_000)
  value_usd!: number;

  @IsIn(FULFILLMENT_TYPES)
  fulfillment_type!: FulfillmentType;

  @ValidateIf(ifNotNull)
  @IsUUID('all')
  sponsor_id?: string | null;

  /** Gift-card code for digital prizes; stored, never returned */
  @ValidateIf(ifNotNull)
  @IsString()
  @MaxLength(200)
  digital_code?: string | null;
}

export class EligibilityDto implements DrawingEligibility {
  @IsIn(['all', 'premium'])
  user_type!: 'all' | 'premium';

  @IsInt()
  @Min(0)
  @Max(3650)
  min_account_age_days!: number;
}

export class CreateDrawingDto {
  @IsIn(DRAWING_TYPES)
  drawing_type!: DrawingType;

  /** @example "Daily Drawing - Jan 16, 2026" */
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name!: string;

  @ValidateIf(ifNotNull)
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  /** @example 100 */
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  ticket_cost_points!: number;

  /** @example "2026-01-16T00:00:00Z" */
  @IsISO8601({ strict: true })
  opens_at!: string;

  /** Must be after opens_at @example "2026-01-16T20:55:00Z" */
  @IsISO8601({ strict: true })
  ticket_sales_close!: string;

  /** Must be after ticket_sales_close @example "2026-01-16T21:00:00Z" */
  @IsISO8601({ strict: true })
  drawing_time!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => PrizeInputDto)
  prizes!: PrizeInputDto[];

  /** Default `{"user_type": "all", "min_account_age_days": 0}` */
  @IsOptional()
  @ValidateNested()
  @Type(() => EligibilityDto)
  eligibility?: EligibilityDto;
}

/** Field edits (draft or scheduled only) and/or a status change along the state machine. */
export class UpdateDrawingDto {
  @ValidateIf(ifPresent)
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name?: string;

  @ValidateIf(ifNotNull)
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  @ValidateIf(ifPresent)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  ticket_cost_points?: number;

  @ValidateIf(ifPresent)
  @IsISO8601({ strict: true })
  opens_at?: string;

  @ValidateIf(ifPresent)
  @IsISO8601({ strict: true })
  ticket_sales_close?: string;

  @ValidateIf(ifPresent)
  @IsISO8601({ strict: true })
  drawing_time?: string;

  /** Replaces the whole prize list */
  @ValidateIf(ifPresent)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => PrizeInputDto)
  prizes?: PrizeInputDto[];

  @ValidateIf(ifPresent)
  @ValidateNested()
  @Type(() => EligibilityDto)
  eligibility?: EligibilityDto;

  /** draft → scheduled → open → closed; draft/scheduled/open → cancelled */
  @ValidateIf(ifPresent)
  @IsIn(DRAWING_STATUSES)
  status?: DrawingStatus;
}

export class PrizeResponseDto {
  id!: string;
  rank!: number;
  name!: string;
  description!: string | null;
  value_usd!: number;
  fulfillment_type!: FulfillmentType;
  sponsor_id!: string | null;
}

export class DrawingResponseDto {
  id!: string;
  drawing_type!: DrawingType;
  name!: string;
  description!: string | null;
  ticket_cost_points!: number;
  opens_at!: string;
  ticket_sales_close!: string;
  drawing_time!: string;
  status!: DrawingStatus;
  eligibility!: DrawingEligibility;
  total_tickets!: number;
  /** Hex SHA-256 of the secret seed, from scheduling on */
  seed_commitment!: string | null;
  /** Public randomness round the draw will also use (null: no beacon configured) */
  beacon_round!: string | null;
  /** Hex SHA-256 of the frozen ticket list, from sales close on */
  tickets_hash!: string | null;
  /** Revealed only once the drawing is completed */
  seed!: string | null;
  completed_at!: string | null;
  prizes!: PrizeResponseDto[];
  created_at!: string;
  updated_at!: string;
}

/** GET /drawings/{id}: the drawing with the caller's tickets and odds (tickets.service Odds). */
export class DrawingWithOddsDto extends DrawingResponseDto {
  @ApiProperty({ example: 5 })
  my_tickets!: number;

  @ApiProperty({ type: String, nullable: true, example: '1 in 69', description: 'null without a ticket' })
  odds!: string | null;

  @ApiProperty({ example: '1 in 58' })
  odds_if_buy_one!: string;
}

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);

export function toPrizeResponse(prize: Prize): PrizeResponseDto {
  return {
    id: prize.id,
    rank: prize.rank,
    name: prize.name,
    description: prize.description,
    value_usd: Number(prize.valueUsd),
    fulfillment_type: prize.fulfillmentType,
    sponsor_id: prize.sponsorId,
  };
}

export function toDrawingResponse(drawing: Drawing): DrawingResponseDto {
  return {
    id: drawing.id,
    drawing_type: drawing.drawingType,
    name: drawing.name,
    description: drawing.description,
    ticket_cost_points: drawing.ticketCostPoints,
    opens_at: iso(drawing.opensAt)!,
    ticket_sales_close: iso(drawing.ticketSalesClose)!,
    drawing_time: iso(drawing.drawingTime)!,
    status: drawing.status,
    eligibility: drawing.eligibility,
    total_tickets: drawing.totalTickets,
    seed_commitment: drawing.seedCommitment,
    beacon_round: drawing.beaconRound,
    tickets_hash: drawing.ticketsHash,
    seed: drawing.status === 'completed' ? drawing.seed : null,
    completed_at: iso(drawing.completedAt),
    prizes: [...(drawing.prizes ?? [])].sort((a, b) => a.rank - b.rank).map(toPrizeResponse),
    created_at: iso(drawing.createdAt)!,
    updated_at: iso(drawing.updatedAt)!,
  };
}

export const DRAWING_EXAMPLE: DrawingResponseDto = {
  id: 'a4b7c2d1-5e6f-4a8b-9c0d-1e2f3a4b5c6d',
  drawing_type: 'daily',
  name: 'Daily Drawing - Jan 16, 2026',
  description: 'One winner every day',
  ticket_cost_points: 100,
  opens_at: '2026-01-16T05:00:00.000Z',
  ticket_sales_close: '2026-01-16T20:55:00.000Z',
  drawing_time: '2026-01-16T21:00:00.000Z',
  status: 'open',
  eligibility: { user_type: 'all', min_account_age_days: 7 },
  total_tickets: 342,
  seed_commitment: '5d41402abc4b2a76b9719d911017c592e2d8f0d3b1a5c7e9f1a3b5c7d9e1f3a5',
  beacon_round: null,
  tickets_hash: null,
  seed: null,
  completed_at: null,
  prizes: [
    {
      id: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f',
      rank: 1,
      name: '$50 Amazon Gift Card',
      description: null,
      value_usd: 50,
      fulfillment_type: 'digital',
      sponsor_id: null,
    },
  ],
  created_at: '2026-01-15T18:00:00.000Z',
  updated_at: '2026-01-16T05:00:00.000Z',
};
