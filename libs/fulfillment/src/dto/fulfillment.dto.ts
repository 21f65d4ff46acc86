import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  Equals,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  IsEmail,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsUsState, ListQueryDto, toUpper, trim } from '@fittrack/core';
import {
  FULFILLMENT_STATUSES,
  type FulfillmentStatus,
  type ShippingAddress,
} from '../entities/prize-fulfillment.entity';

/** A US shipping address (domain-rules: state code, ZIP `12345` or `12345-6789`). */
export class ShippingAddressDto implements ShippingAddress {
  /** @example "Alex Rivera" */
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  name!: string;

  /** @example "123 Main St" */
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  line1!: string;

  /** @example "Apt 4" */
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  line2?: string;

  /** @example "Springfield" */
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  city!: string;

  /** US state code (50 states + DC) @example "IL" */
  @Transform(toUpper)
  @IsUsState()
  state!: string;

  /** @example "62704" */
  @Transform(trim)
  @IsString()
  @Matches(/^(\d{5}|\d{5}-\d{4})$/, { message: 'postal_code must be a US ZIP code (12345 or 12345-6789)' })
  postal_code!: string;

  /** @example "+1 217 555 0100" */
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Matches(/^\+?[0-9 ().-]{7,20}$/, { message: 'phone must be a phone number' })
  phone?: string;
}

export class FulfillmentsFilterDto {
  @IsOptional()
  @IsIn(FULFILLMENT_STATUSES)
  status?: FulfillmentStatus;
}

export class ListFulfillmentsQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ type: FulfillmentsFilterDto, description: '`filter[status]=address_confirmed`' })
  @IsOptional()
  @ValidateNested()
  @Type(() => FulfillmentsFilterDto)
  filter?: FulfillmentsFilterDto;
}

export class UpdateFulfillmentDto {
  /** Along the workflow: pending→winner_notified, shipped→delivered, winner_notified→forfeited, forfeited→returned_to_sponsor @example "delivered" */
  @IsOptional()
  @IsIn(FULFILLMENT_STATUSES)
  status?: FulfillmentStatus;

  /** @example "Delivered to the front desk" */
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(2000)
  notes?: string;
}

export class ShipFulfillmentDto {
  /** @example "UPS" */
  @Transform(trim)
  @IsString()
  @Length(1, 40)
  carrier!: string;

  /** @example "1Z999AA10123456784" */
  @Transform(trim)
  @IsString()
  @Length(1, 80)
  tracking_number!: string;
}

export class RecordW9Dto {
  /** @example true */
  @IsBoolean()
  @Equals(true, { message: 'received must be true' })
  received!: boolean;
}

export class SponsorDto {
  /** @example "Acme Sports" */
  @Transform(trim)
  @IsString()
  @Length(1, 120)
  name!: string;

  /** @example "prizes@acme.example" */
  @IsOptional()
  @Transform(trim)
  @IsEmail()
  @MaxLength(254)
  contact_email?: string | null;

  /** @example "https://acme.example" */
  @IsOptional()
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true })
  @MaxLength(500)
  website_url?: string | null;

  /** @example "https://acme.example/logo.png" */
  @IsOptional()
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true })
  @MaxLength(500)
  logo_url?: string | null;

  /** @example true */
  @IsOptional()
  @IsBoolean()
  is_active?: boolean;
}

export class ListSponsorsQueryDto extends ListQueryDto {}

export class PrizeReportingQueryDto {
  /** Calendar year @example "2026" */
  @Matches(/^(19|20|21)\d{2}$/, { message: 'year must be a year (YYYY)' })
  year!: string;
}

export interface FulfillmentResponse {
  id: string;
  drawing_id: string;
  drawing_name: string;
  prize_id: string;
  prize_rank: number;
  prize_name: string;
  prize_value_usd: number;
  fulfillment_type: string;
  user_id: string;
  status: FulfillmentStatus;
  shipping_address: ShippingAddress | null;
  carrier: string | null;
  tracking_number: string | null;
  notes: string | null;
  notified_at: string | null;
  claim_deadline: string | null;
  reminder_sent_at: string | null;
  address_confirmed_at: string | null;
  shipped_at: string | null;
  delivered_at: string | null;
  forfeited_at: string | null;
  w9_received_at: string | null;
}

export const FULFILLMENT_EXAMPLE: FulfillmentResponse = {
  id: 'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f',
  drawing_id: 'a4b7c2d1-5e6f-4a8b-9c0d-1e2f3a4b5c6d',
  drawing_name: 'Monthly Drawing - Jan 2026',
  prize_id: 'b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e',
  prize_rank: 1,
  prize_name: 'Fitness Watch',
  prize_value_usd: 250,
  fulfillment_type: 'physical',
  user_id: '11111111-1111-4111-8111-111111111111',
  status: 'address_confirmed',
  shipping_address: {
    name: 'Alex Rivera',
    line1: '123 Main St',
    city: 'Springfield',
    state: 'IL',
    postal_code: '62704',
  },
  carrier: null,
  tracking_number: null,
  notes: null,
  notified_at: '2026-01-31T21:00:04.000Z',
  claim_deadline: '2026-02-14T21:00:04.000Z',
  reminder_sent_at: null,
  address_confirmed_at: '2026-02-01T09:12:00.000Z',
  shipped_at: null,
  delivered_at: null,
  forfeited_at: null,
  w9_received_at: null,
};
