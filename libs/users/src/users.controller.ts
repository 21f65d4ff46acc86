import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import {
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
  @ApiOkResponse({ description: 'A page of users with their profiles', example: USER_PAGE_EXAMPLE })
  @ApiUnprocessableEntityResponse({ description: 'Unknown filter or sort field, bad paging' })
  async list(@Query() query: ListUsersQueryDto): Promise<Page<UserResponseDto>> {
    return mapPage(await this.users.list(query), (user) => toUserResponse(user));
  }

  @Get(':id')
  @Authenticated()
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
  @ApiNotFoundResponse({ description: 'Unknown or deleted user: `User not found`' })
  async get(
    @Param('id', IsUuidParam) id: string,
    @CurrentUser() principal: Principal,
  ): Promise<UserResponseDto> {
    const { user, connections } = await this.users.get(id, principal);
    return toUserResponse(user, connections);
  }

  @Post()
  @Roles('admin')
  @ApiCreatedResponse({
    description: 'Created (active, email verified)',
    type: UserResponseDto,
    example: USER_EXAMPLE,
  })
  @ApiConflictResponse({ description: '`Email already registered`' })
  @ApiUnprocessableEntityResponse({ description: 'Validation failed; `errors[]` names each bad field' })
  async create(@Body() dto: CreateUserDto): Promise<UserResponseDto> {
    return toUserResponse(await this.users.create(dto));
  }

  @Put(':id')
  @Authenticated()
  @ApiOkResponse({
    description: 'Updated (self or admin; role/status admin only)',
    type: UserResponseDto,
    example: USER_EXAMPLE,
  })
  @ApiNotFoundResponse({ description: '`User not found`' })
  async update(
    @Param('id', IsUuidParam) id: string,
    @Body() dto: UpdateUserDto,
    @CurrentUser() principal: Principal,
  ): Promise<UserResponseDto> {
    return toUserResponse(await this.users.update(id, dto, principal));
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Soft deleted: gone from lists and reads, row kept with deleted_at' })
  @ApiNotFoundResponse({ description: '`User not found`' })
  async remove(@Param('id', IsUuidParam) id: string): Promise<void> {
    await this.users.remove(id);
  }
}
