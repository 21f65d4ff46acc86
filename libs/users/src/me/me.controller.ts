import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  ApiEndpoint,
  Authenticated,
  CurrentUser,
  IsUuidParam,
  NotFoundError,
  type Principal,
} from '@fittrack/core';
import { UsersService } from '../users.service';
import { UsersRepository } from '../users.repository';
import { PublicRankReader } from '../tier-changes';
import { toUserResponse, USER_EXAMPLE, UserResponseDto } from '../dto/user-response.dto';
import { PublicProfileDto, UpdateMeDto, UpdateMyProfileDto } from './me.dto';

/**
 * The caller's own account. Registered before UsersController so `/users/me` is not taken for `/users/:id`.
 * Every route here is for any authenticated user (the global guard's default).
 */
@ApiTags('users')
@Controller('users')
@Authenticated()
export class MeController {
  constructor(
    private readonly users: UsersService,
    private readonly repository: UsersRepository,
    private readonly ranks: PublicRankReader,
  ) {}

  @Get('me')
  @ApiEndpoint('Get my account', { description: 'The caller with profile, tier and points.' })
  @ApiOkResponse({
    description: 'The caller with profile, tier and points',
    type: UserResponseDto,
    example: USER_EXAMPLE,
  })
  async getMe(@CurrentUser() principal: Principal): Promise<UserResponseDto> {
    const { user, connections } = await this.users.get(principal.userId, principal);
    return toUserResponse(user, connections);
  }

  @Put('me')
  @ApiEndpoint('Update my account', { errors: { 422: 'property role should not exist' } })
  @ApiOkResponse({ type: UserResponseDto, example: USER_EXAMPLE })
  async updateMe(@CurrentUser() principal: Principal, @Body() dto: UpdateMeDto): Promise<UserResponseDto> {
    return toUserResponse(await this.users.update(principal.userId, dto, principal));
  }

  @Put('me/profile')
  @ApiEndpoint('Update my profile', {
    description: 'The tier code is recalculated.',
    errors: { 422: 'property role should not exist' },
  })
  @ApiOkResponse({
    description: 'Updated; tier_code recalculated',
    type: UserResponseDto,
    example: USER_EXAMPLE,
  })
  async updateMyProfile(
    @CurrentUser() principal: Principal,
    @Body() dto: UpdateMyProfileDto,
  ): Promise<UserResponseDto> {
    return toUserResponse(await this.users.update(principal.userId, dto, principal));
  }

  @Get(':id/public')
  @ApiEndpoint("Get a member's public profile", {
    errors: { 404: 'User not found', 422: 'id must be a UUID' },
  })
  @ApiOkResponse({
    type: PublicProfileDto,
    example: {
      user_id: '550e8400-e29b-41d4-a716-446655440000',
      display_name: 'Robin R.',
      tier_code: 'F-30-39-INT',
      total_points_earned: 5210,
      member_since: '2026-01-02T09:30:00.000Z',
      alltime_rank: 12,
    },
  })
  async getPublicProfile(@Param('id', IsUuidParam) id: string): Promise<PublicProfileDto> {
    const user = await this.repository.get(id);
    if (!user?.profile || user.status !== 'active') throw new NotFoundError('User');
    return {
      user_id: user.id,
      display_name: user.profile.displayName,
      tier_code: user.profile.tierCode,
      total_points_earned: user.totalPointsEarned,
      member_since: user.createdAt.toISOString(),
      alltime_rank: await this.ranks.rankOf(user.id, user.profile.tierCode),
    };
  }
}
