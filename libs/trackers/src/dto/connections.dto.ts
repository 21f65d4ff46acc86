import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import {
  type Provider,
  PROVIDERS,
  SYNC_STATUSES,
  type SyncStatus,
  type TrackerConnection,
} from '../entities/tracker-connection.entity';

export class ProviderParamDto {
  @ApiProperty({ enum: PROVIDERS, example: 'fitbit' })
  @IsIn(PROVIDERS, { message: `provider must be one of: ${PROVIDERS.join(', ')}` })
  provider!: Provider;
}

/** Terra's redirect back: its `user_id`, `resource`, `reference_id`, and our `state`. */
export class CallbackQueryDto {
  @ApiPropertyOptional({ description: 'Our signed state, as sent to the widget' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  state?: string;

  @ApiPropertyOptional({ description: "Terra's user id for the new connection" })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  user_id?: string;

  @ApiPropertyOptional({ example: 'FITBIT' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  resource?: string;

  @ApiPropertyOptional({ description: 'Our user id, echoed by Terra' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  reference_id?: string;

  @ApiPropertyOptional({ enum: ['denied'], description: 'Set on the failure redirect' })
  @IsOptional()
  @IsIn(['denied'])
  outcome?: string;
}

export class ConnectionResponseDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: PROVIDERS })
  provider!: Provider;

  @ApiProperty()
  is_primary!: boolean;

  @ApiProperty({ enum: SYNC_STATUSES })
  sync_status!: SyncStatus;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  last_sync_at!: string | null;

  @ApiProperty({ type: String, nullable: true })
  last_error!: string | null;

  @ApiProperty({ description: 'Terra refused this tracker: the user must connect it again' })
  reconnect_required!: boolean;

  @ApiProperty({ type: String, format: 'date-time' })
  connected_at!: string;
}

export class InitiateResponseDto {
  @ApiPropertyOptional({ description: "Terra's widget page (web providers)" })
  auth_url?: string;

  @ApiPropertyOptional()
  session_id?: string;

  @ApiPropertyOptional({ description: "apple_health: a single-use token for Terra's mobile SDK" })
  sdk_token?: string;

  @ApiPropertyOptional({ example: 180 })
  expires_in?: number;
}

const iso = (value: Date | string | null) => (value ? new Date(value).toISOString() : null);

export function toConnectionResponse(connection: TrackerConnection): ConnectionResponseDto {
  return {
    id: connection.id,
    provider: connection.provider,
    is_primary: Boolean(connection.isPrimary),
    sync_status: connection.syncStatus,
    last_sync_at: iso(connection.lastSyncAt),
    last_error: connection.lastError,
    reconnect_required: Boolean(connection.reconnectRequired),
    connected_at: iso(connection.createdAt)!,
  };
}

export const CONNECTION_EXAMPLE: ConnectionResponseDto = {
  id: '550e8400-e29b-41d4-a716-446655440000',
  provider: 'fitbit',
  is_primary: true,
  sync_status: 'ok',
  last_sync_at: '2026-01-17T15:00:00.000Z',
  last_error: null,
  reconnect_required: false,
  connected_at: '2026-01-10T09:30:00.000Z',
};

/** The token `initiate` gave for Apple Health, handed over as Terra's mobile SDK would (fake mode). */
export class FakeSdkConnectDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  sdk_token!: string;
}
