import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Authenticated, CurrentUser, IsUuidParam, NotFoundError, type Principal } from '@fittrack/core';
import { UsersService } from '../users.service';
import { UsersRepository } from '../users.repository';
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
  ) {}

  @Get('me')
  @ApiOkResponse({
    description: 'The caller with profile, tier and points',
    type: UserResponseDto,
    example: USER_EXAMPLE,
  })
  async me(@CurrentUser() principal: Principal): Promise<UserResponseDto> {
    const { user, connections } = await this.users.get(principal.userId, principal);
    return toUserResponse(user, connections);
  }

  @Put('me')
  @ApiOkResponse({ type: UserResponseDto, example: USER_EXAMPLE })
  @ApiUnprocessableEntityResponse({ description: 'Validation failed; `errors[]` names each bad field' })
  async updateMe(@CurrentUser() principal: Principal, @Body() dto: UpdateMeDto): Promise<UserResponseDto> {
    return toUserResponse(await this.users.update(principal.userId, dto, principal));
  }

  @Put('me/profile')
  @ApiOkResponse({
    description: 'Updated; tier_code recalculated',
    type: UserResponseDto,
    example: USER_EXAMPLE,
  })
  @ApiUnprocessableEntityResponse({ description: 'Validation failed; `errors[]` names each bad field' })
  async updateProfile(
    @CurrentUser() principal: Principal,
    @Body() dto: UpdateMyProfileDto,
  ): Promise<UserResponseDto> {
    return toUserResponse(await this.users.update(principal.userId, dto, principal));
  }

  @Get(':id/public')
  @ApiOkResponse({ type: PublicProfileDto })
  @ApiNotFoundResponse({ description: '`User not found`' })
  async publicProfile(@Param('id', IsUuidParam) id: string): Promise<PublicProfileDto> {
    const user = await this.repository.get(id);
    if (!user?.profile || user.status !== 'active') throw new NotFoundError('User');
    return {
      user_id: user.id,
      display_name: user.profile.displayName,
      tier_code: user.profile.tierCode,
      total_points_earned: user.totalPointsEarned,
      member_since: user.createdAt.toISOString(),
    };
  }
}
