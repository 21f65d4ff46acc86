import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiFoundResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import {
  ApiEndpoint,
  Authenticated,
  CurrentUser,
  MessageResponseDto,
  type Principal,
  Public,
} from '@fittrack/core';
import { ConnectionsService, MANUAL_SYNC_LIMIT } from './connections.service';
import {
  CallbackQueryDto,
  CONNECTION_EXAMPLE,
  ConnectionResponseDto,
  FakeSdkConnectDto,
  InitiateResponseDto,
  ProviderParamDto,
  toConnectionResponse,
} from './dto/connections.dto';

const UNKNOWN_PROVIDER = 'provider must be one of: fitbit, google_fit, apple_health';
const UNAVAILABLE = 'The fitness data service is unavailable; try again shortly';

@ApiTags('trackers')
@Controller('connections')
export class ConnectionsController {
  constructor(private readonly connections: ConnectionsService) {}

  @Get()
  @Authenticated()
  @ApiBearerAuth('bearer')
  @ApiEndpoint('List my tracker connections', { errors: { 403: 'Tracker connections belong to a user' } })
  @ApiOkResponse({ type: [ConnectionResponseDto], example: [CONNECTION_EXAMPLE] })
  async listConnections(@CurrentUser() principal: Principal): Promise<ConnectionResponseDto[]> {
    return (await this.connections.list(principal)).map(toConnectionResponse);
  }

  @Post(':provider/initiate')
  @HttpCode(200)
  @Authenticated()
  @ApiBearerAuth('bearer')
  @ApiEndpoint('Start connecting a tracker', {
    description:
      "Web providers: Terra's widget URL to open (`auth_url`). `apple_health` (mobile only): a token for Terra's SDK.",
    errors: { 422: UNKNOWN_PROVIDER, 503: UNAVAILABLE },
  })
  @ApiOkResponse({
    type: InitiateResponseDto,
    example: { auth_url: 'https://widget.tryterra.co/session/4c5e6f', session_id: '4c5e6f' },
  })
  async initiateConnection(
    @Param() { provider }: ProviderParamDto,
    @CurrentUser() principal: Principal,
  ): Promise<InitiateResponseDto> {
    return this.connections.initiate(provider, principal);
  }

  @Post('apple_health/fake-sdk-connect')
  @HttpCode(202)
  @Authenticated()
  @ApiBearerAuth('bearer')
  @ApiEndpoint('Connect Apple Health as the mobile SDK would (fake Terra only)', {
    description:
      "Development and tests with `TERRA_MODE=fake`: hands the `sdk_token` from `initiate` to the fake Terra, as Terra's mobile SDK does in the app; the connection appears when the fake's `auth` webhook arrives. 404 with a real Terra.",
    errors: {
      400: 'Invalid or expired SDK token',
      404: 'Route not found',
      422: 'sdk_token should not be empty',
      503: UNAVAILABLE,
    },
  })
  @ApiAcceptedResponse({
    type: MessageResponseDto,
    example: { message: 'Apple Health is connecting' },
  })
  async fakeSdkConnect(
    @Body() { sdk_token }: FakeSdkConnectDto,
    @CurrentUser() principal: Principal,
  ): Promise<MessageResponseDto> {
    await this.connections.fakeSdkConnect(sdk_token, principal);
    return { message: 'Apple Health is connecting' };
  }

  @Get(':provider/callback')
  @Public()
  @ApiEndpoint("Terra's redirect after the widget", {
    description: 'Creates the connection (the first is primary), queues a sync, and redirects to the app.',
    errors: {
      400: ['Invalid or expired state', 'Terra did not confirm this connection'],
      422: UNKNOWN_PROVIDER,
      503: UNAVAILABLE,
    },
  })
  @ApiFoundResponse({ description: 'To the app, with `connect=connected` (or `denied`) and `provider`' })
  async connectionCallback(
    @Param() { provider }: ProviderParamDto,
    @Query() query: CallbackQueryDto,
    @Res() res: Response,
  ): Promise<void> {
    res.redirect(302, await this.connections.callback(provider, query));
  }

  @Put(':provider/set-primary')
  @Authenticated()
  @ApiBearerAuth('bearer')
  @ApiEndpoint('Make a tracker my primary', {
    errors: { 404: 'Connection not found', 422: UNKNOWN_PROVIDER },
  })
  @ApiOkResponse({ type: ConnectionResponseDto, example: CONNECTION_EXAMPLE })
  async setPrimaryConnection(
    @Param() { provider }: ProviderParamDto,
    @CurrentUser() principal: Principal,
  ): Promise<ConnectionResponseDto> {
    return toConnectionResponse(await this.connections.setPrimary(provider, principal));
  }

  @Delete(':provider')
  @HttpCode(204)
  @Authenticated()
  @ApiBearerAuth('bearer')
  @ApiEndpoint('Disconnect a tracker', {
    description: 'Activities stay; another connection becomes primary; Terra is told to deauthenticate.',
    errors: { 404: 'Connection not found', 422: UNKNOWN_PROVIDER },
  })
  @ApiNoContentResponse({ description: 'Disconnected' })
  async deleteConnection(
    @Param() { provider }: ProviderParamDto,
    @CurrentUser() principal: Principal,
  ): Promise<void> {
    await this.connections.remove(provider, principal);
  }

  @Post(':provider/sync')
  @HttpCode(202)
  @Authenticated()
  @ApiBearerAuth('bearer')
  @ApiEndpoint('Sync a tracker now', {
    errors: {
      404: 'Connection not found',
      409: 'Reconnect this tracker before syncing',
      422: UNKNOWN_PROVIDER,
      429: MANUAL_SYNC_LIMIT,
    },
  })
  @ApiAcceptedResponse({ type: MessageResponseDto, example: { message: 'Sync queued' } })
  async syncConnection(
    @Param() { provider }: ProviderParamDto,
    @CurrentUser() principal: Principal,
  ): Promise<MessageResponseDto> {
    await this.connections.requestSync(provider, principal);
    return { message: 'Sync queued' };
  }
}
