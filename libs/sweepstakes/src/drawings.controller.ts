import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
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
import { DrawingsService } from './drawings.service';
import { TicketsService } from './tickets.service';
import {
  CreateDrawingDto,
  DRAWING_EXAMPLE,
  DrawingResponseDto,
  DrawingWithOddsDto,
  ListDrawingsQueryDto,
  toDrawingResponse,
  UpdateDrawingDto,
} from './dto/drawings.dto';

@ApiTags('drawings')
@ApiBearerAuth('bearer')
@Controller('drawings')
export class DrawingsController {
  constructor(
    private readonly drawings: DrawingsService,
    private readonly tickets: TicketsService,
  ) {}

  @Get()
  @Authenticated()
  @ApiEndpoint('List drawings', {
    description: 'Non-admins never see drafts.',
    errors: { 422: ['page must not be less than 1', 'property nope should not exist'] },
  })
  @ApiOkResponse({
    description: 'Drawings (non-admins never see drafts)',
    example: { data: [DRAWING_EXAMPLE], meta: { page: 1, per_page: 20, total: 1, total_pages: 1 } },
  })
  async listDrawings(
    @Query() query: ListDrawingsQueryDto,
    @CurrentUser() principal: Principal,
  ): Promise<Page<DrawingResponseDto>> {
    return mapPage(await this.drawings.list(query, principal), toDrawingResponse);
  }

  @Get(':id')
  @Authenticated()
  @ApiEndpoint('Get a drawing with its prizes', {
    errors: { 404: 'Drawing not found', 422: 'id must be a UUID' },
  })
  @ApiOkResponse({
    description: 'One drawing with its prizes',
    type: DrawingWithOddsDto,
    example: { ...DRAWING_EXAMPLE, my_tickets: 5, odds: '1 in 69', odds_if_buy_one: '1 in 58' },
  })
  async getDrawing(
    @Param('id', IsUuidParam) id: string,
    @CurrentUser() principal: Principal,
  ): Promise<DrawingWithOddsDto> {
    const drawing = await this.drawings.get(id, principal);
    return { ...toDrawingResponse(drawing), ...(await this.tickets.oddsFor(drawing, principal)) };
  }

  @Post()
  @Roles('admin')
  @ApiEndpoint('Create a drawing', {
    description: "Same as POST /admin/drawings (the checkpoint-1 plan's path).",
    errors: { 422: 'Sales close time must be before drawing time' },
  })
  @ApiCreatedResponse({
    description: 'Alias of POST /admin/drawings',
    type: DrawingResponseDto,
    example: { ...DRAWING_EXAMPLE, status: 'draft', seed_commitment: null, total_tickets: 0 },
  })
  async createDrawing(
    @Body() dto: CreateDrawingDto,
    @CurrentUser() principal: Principal,
  ): Promise<DrawingResponseDto> {
    return toDrawingResponse(await this.drawings.create(dto, principal));
  }

  @Put(':id')
  @Roles('admin')
  @ApiEndpoint('Update a drawing', {
    description: 'Same as PUT /admin/drawings/{id}.',
    errors: {
      404: 'Drawing not found',
      409: 'Cannot transition from completed to open',
      422: 'Sales close time must be before drawing time',
    },
  })
  @ApiOkResponse({
    description: 'Alias of PUT /admin/drawings/{id}',
    type: DrawingResponseDto,
    example: DRAWING_EXAMPLE,
  })
  async updateDrawing(
    @Param('id', IsUuidParam) id: string,
    @Body() dto: UpdateDrawingDto,
    @CurrentUser() principal: Principal,
  ): Promise<DrawingResponseDto> {
    return toDrawingResponse(await this.drawings.update(id, dto, principal));
  }
}
