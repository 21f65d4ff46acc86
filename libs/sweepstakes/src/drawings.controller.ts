import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
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
import { DrawingsService } from './drawings.service';
import {
  CreateDrawingDto,
  DRAWING_EXAMPLE,
  DrawingResponseDto,
  ListDrawingsQueryDto,
  toDrawingResponse,
  UpdateDrawingDto,
} from './dto/drawings.dto';

@ApiTags('drawings')
@ApiBearerAuth('bearer')
@Controller('drawings')
export class DrawingsController {
  constructor(private readonly drawings: DrawingsService) {}

  @Get()
  @Authenticated()
  @ApiOkResponse({
    description: 'Drawings (non-admins never see drafts)',
    example: { data: [DRAWING_EXAMPLE], meta: { page: 1, per_page: 20, total: 1, total_pages: 1 } },
  })
  @ApiUnprocessableEntityResponse({ description: 'Unknown filter or sort field, bad paging' })
  async list(
    @Query() query: ListDrawingsQueryDto,
    @CurrentUser() principal: Principal,
  ): Promise<Page<DrawingResponseDto>> {
    return mapPage(await this.drawings.list(query, principal), toDrawingResponse);
  }

  @Get(':id')
  @Authenticated()
  @ApiOkResponse({
    description: 'One drawing with its prizes',
    type: DrawingResponseDto,
    example: DRAWING_EXAMPLE,
  })
  @ApiNotFoundResponse({ description: '`Drawing not found` (also a draft, for non-admins)' })
  async get(
    @Param('id', IsUuidParam) id: string,
    @CurrentUser() principal: Principal,
  ): Promise<DrawingResponseDto> {
    return toDrawingResponse(await this.drawings.get(id, principal));
  }

  /** Same as POST /admin/drawings (the checkpoint-1 plan's path). */
  @Post()
  @Roles('admin')
  @ApiCreatedResponse({ description: 'Alias of POST /admin/drawings', type: DrawingResponseDto })
  async create(
    @Body() dto: CreateDrawingDto,
    @CurrentUser() principal: Principal,
  ): Promise<DrawingResponseDto> {
    return toDrawingResponse(await this.drawings.create(dto, principal));
  }

  /** Same as PUT /admin/drawings/{id}. */
  @Put(':id')
  @Roles('admin')
  @ApiOkResponse({ description: 'Alias of PUT /admin/drawings/{id}', type: DrawingResponseDto })
  async update(
    @Param('id', IsUuidParam) id: string,
    @Body() dto: UpdateDrawingDto,
    @CurrentUser() principal: Principal,
  ): Promise<DrawingResponseDto> {
    return toDrawingResponse(await this.drawings.update(id, dto, principal));
  }
}
