import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { mapPage, type Page, Roles } from '@fittrack/core';
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
  @ApiOkResponse({ description: 'Same list as GET /users', example: USER_PAGE_EXAMPLE })
  @ApiUnprocessableEntityResponse({ description: 'Unknown filter or sort field, bad paging' })
  async list(@Query() query: ListUsersQueryDto): Promise<Page<UserResponseDto>> {
    return mapPage(await this.users.list(query), (user) => toUserResponse(user));
  }
}
