import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiEndpoint, mapPage, type Page, Roles } from '@fittrack/core';
import { UsersService } from './users.service';
import { ListUsersQueryDto } from './dto/list-users-query.dto';
import { toUserResponse, UserResponseDto } from './dto/user-response.dto';
import { USER_PAGE_EXAMPLE } from './users.controller';

@ApiTags('admin')
@ApiBearerAuth('bearer')
@Roles('admin')
@Controller('admin/users')
export class AdminUsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiEndpoint('List users (admin path)', {
    description: 'Same list as GET /users.',
    errors: { 422: ['page must not be less than 1', 'property nope should not exist'] },
  })
  @ApiOkResponse({ description: 'Same list as GET /users', example: USER_PAGE_EXAMPLE })
  async adminListUsers(@Query() query: ListUsersQueryDto): Promise<Page<UserResponseDto>> {
    return mapPage(await this.users.list(query), (user) => toUserResponse(user));
  }
}
