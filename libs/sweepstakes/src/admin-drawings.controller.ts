import { Body, Controller, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiEndpoint, CurrentUser, IsUuidParam, type Principal, Roles } from '@fittrack/core';
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
  @ApiEndpoint('Create a drawing (admin)', {
    description: 'Created as `draft` with its prizes.',
    errors: {
      422: ['Sales close time must be before drawing time', 'Opening time must be before sales close time'],
    },
  })
  @ApiCreatedResponse({
    description: 'Created as `draft` with its prizes',
    type: DrawingResponseDto,
    example: { ...DRAWING_EXAMPLE, status: 'draft', seed_commitment: null, total_tickets: 0 },
  })
  async adminCreateDrawing(
    @Body() dto: CreateDrawingDto,
    @CurrentUser() principal: Principal,
  ): Promise<DrawingResponseDto> {
    return toDrawingResponse(await this.drawings.create(dto, principal));
  }

  @Put(':id')
  @ApiEndpoint('Update a drawing or move it to its next status (admin)', {
    errors: {
      404: 'Drawing not found',
      409: 'Cannot transition from completed to open',
      422: 'Sales close time must be before drawing time',
    },
  })
  @ApiOkResponse({ description: 'Updated', type: DrawingResponseDto, example: DRAWING_EXAMPLE })
  async adminUpdateDrawing(
    @Param('id', IsUuidParam) id: string,
    @Body() dto: UpdateDrawingDto,
    @CurrentUser() principal: Principal,
  ): Promise<DrawingResponseDto> {
    return toDrawingResponse(await this.drawings.update(id, dto, principal));
  }
}
