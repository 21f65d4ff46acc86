import { Body, Controller, Param, Post, Put } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentUser, IsUuidParam, type Principal, Roles } from '@fittrack/core';
import { DrawingsService } from './drawings.service';
import {
  CreateDrawingDto,
  DRAWING_EXAMPLE,
  DrawingResponseDto,
  toDrawingResponse,
  UpdateDrawingDto,
} from './dto/drawings.dto';

@ApiTags('admin')
@ApiBearerAuth('bearer')
@Roles('admin')
@Controller('admin/drawings')
export class AdminDrawingsController {
  constructor(private readonly drawings: DrawingsService) {}

  @Post()
  @ApiCreatedResponse({
    description: 'Created as `draft` with its prizes',
    type: DrawingResponseDto,
    example: { ...DRAWING_EXAMPLE, status: 'draft', seed_commitment: null, total_tickets: 0 },
  })
  @ApiUnprocessableEntityResponse({
    description:
      '`Sales close time must be before drawing time`, `Opening time must be before sales close time`, field errors',
  })
  async create(
    @Body() dto: CreateDrawingDto,
    @CurrentUser() principal: Principal,
  ): Promise<DrawingResponseDto> {
    return toDrawingResponse(await this.drawings.create(dto, principal));
  }

  @Put(':id')
  @ApiOkResponse({ description: 'Updated', type: DrawingResponseDto, example: DRAWING_EXAMPLE })
  @ApiConflictResponse({
    description: '`Cannot transition from X to Y`; field edits outside draft/scheduled',
  })
  @ApiNotFoundResponse({ description: '`Drawing not found`' })
  async update(
    @Param('id', IsUuidParam) id: string,
    @Body() dto: UpdateDrawingDto,
    @CurrentUser() principal: Principal,
  ): Promise<DrawingResponseDto> {
    return toDrawingResponse(await this.drawings.update(id, dto, principal));
  }
}
