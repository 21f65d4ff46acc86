import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  ApiEndpoint,
  Authenticated,
  CurrentUser,
  IsUuidParam,
  mapPage,
  type Page,
  type Principal,
  Roles,
} from '@fittrack/core';
import { UsersService } from './users.service';
import { CreateUserDto } from './dto/create-user.dto';
import { ListUsersQueryDto } from './dto/list-users-query.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { toUserResponse, USER_EXAMPLE, UserResponseDto } from './dto/user-response.dto';

export const USER_PAGE_EXAMPLE = {
  data: [USER_EXAMPLE],
  meta: { page: 1, per_page: 20, total: 57, total_pages: 3 },
};

@ApiTags('users')
@ApiBearerAuth('bearer')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Roles('admin')
  @ApiEndpoint('List users', {
    errors: { 422: ['page must not be less than 1', 'property nope should not exist'] },
  })
  @ApiOkResponse({ description: 'A page of users with their profiles', example: USER_PAGE_EXAMPLE })
  async listUsers(@Query() query: ListUsersQueryDto): Promise<Page<UserResponseDto>> {
    return mapPage(await this.users.list(query), (user) => toUserResponse(user));
  }

  @Get(':id')
  @Authenticated()
  @ApiEndpoint('Get a user', {
    description: 'Self or admin; with profile and tracker connections.',
    errors: { 404: 'User not found', 422: 'id must be a UUID' },
  })
  @ApiOkResponse({
    description: 'The user with profile and tracker connections (self or admin)',
    type: UserResponseDto,
    example: {
      ...USER_EXAMPLE,
      connections: [
        { provider: 'fitbit', is_primary: true, sync_status: 'ok', last_sync_at: '2026-01-16T20:45:00.000Z' },
      ],
    },
  })
  async getUser(
    @Param('id', IsUuidParam) id: string,
    @CurrentUser() principal: Principal,
  ): Promise<UserResponseDto> {
    const { user, connections } = await this.users.get(id, principal);
    return toUserResponse(user, connections);
  }

  @Post()
  @Roles('admin')
  @ApiEndpoint('Create a user', {
    description: 'Created active, with the email verified.',
    errors: {
      409: 'Email already registered',
      422: ['email must be an email', 'Invalid fields: email, password'],
    },
  })
  @ApiCreatedResponse({
    description: 'Created (active, email verified)',
    type: UserResponseDto,
    example: USER_EXAMPLE,
  })
  async createUser(@Body() dto: CreateUserDto): Promise<UserResponseDto> {
    return toUserResponse(await this.users.create(dto));
  }

  @Put(':id')
  @Authenticated()
  @ApiEndpoint('Update a user', {
    description: 'Self or admin; role and status are admin only.',
    errors: { 404: 'User not found', 422: 'email must be an email' },
  })
  @ApiOkResponse({
    description: 'Updated (self or admin; role/status admin only)',
    type: UserResponseDto,
    example: USER_EXAMPLE,
  })
  async updateUser(
    @Param('id', IsUuidParam) id: string,
    @Body() dto: UpdateUserDto,
    @CurrentUser() principal: Principal,
  ): Promise<UserResponseDto> {
    return toUserResponse(await this.users.update(id, dto, principal));
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(204)
  @ApiEndpoint('Delete a user', { errors: { 404: 'User not found', 422: 'id must be a UUID' } })
  @ApiNoContentResponse({ description: 'Soft deleted: gone from lists and reads, row kept with deleted_at' })
  async deleteUser(@Param('id', IsUuidParam) id: string): Promise<void> {
    await this.users.remove(id);
  }
}
