import { Readable } from 'node:stream';
import { Controller, Get, Header, HttpCode, Param, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import {
  ApiEndpoint,
  Authenticated,
  CurrentUser,
  IsUuidParam,
  ListQueryDto,
  type Page,
  type Principal,
  Public,
  Roles,
} from '@fittrack/core';
import { type DrawingResults, DrawingExecutionService, type Verification } from './drawing-execution.service';

const VERIFY_EXAMPLE: Verification = {
  drawing_id: 'a4b7c2d1-5e6f-4a8b-9c0d-1e2f3a4b5c6d',
  status: 'completed',
  algorithm: 'fittrack-draw-v1',
  seed_commitment: '630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd',
  seed: '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
  beacon: null,
  tickets_hash: '7556c80e70125db5e05430983d4d2418b184e16f6e6be84977c528c01258a0b5',
  total_tickets: 10,
  prize_ranks: 3,
  winners: [{ prize_rank: 1, ticket_number: 2, user_id: '11111111-1111-4111-8111-111111111111' }],
  redraws: [],
  ticket_list: '/api/v1/drawings/a4b7c2d1-5e6f-4a8b-9c0d-1e2f3a4b5c6d/ticket-list',
};

/** The published side of the draw (verify, ticket list) and the admin lifecycle actions. */
@ApiTags('drawings')
@Controller()
export class DrawController {
  constructor(private readonly execution: DrawingExecutionService) {}

  @Get('drawings/:id/verify')
  @Public()
  @ApiEndpoint('Get what recomputing a drawing’s winners needs', {
    description: 'Shape and algorithm: docs/sweepstakes-fairness.md (fittrack-draw-v1). No token needed.',
    errors: { 404: 'Drawing not found', 422: 'id must be a UUID' },
  })
  @ApiOkResponse({
    description: 'Commitment, seed (after the draw), beacon, ticket list hash, winners',
    example: VERIFY_EXAMPLE,
  })
  verifyDrawing(@Param('id', IsUuidParam) id: string): Promise<Verification> {
    return this.execution.verification(id);
  }

  @Get('drawings/:id/results')
  @Authenticated()
  @ApiEndpoint('Get a completed drawing’s winners', {
    description:
      'Winners by prize rank (a re-drawn rank shows its alternate winner), whether the caller won, and the verification block of /verify.',
    errors: { 404: 'Drawing not found', 409: 'Drawing not completed', 422: 'id must be a UUID' },
  })
  @ApiOkResponse({
    description: 'Winners and verification',
    example: {
      drawing_id: VERIFY_EXAMPLE.drawing_id,
      status: 'completed',
      completed_at: '2026-01-16T21:00:04.000Z',
      total_tickets: 10,
      you_won: false,
      winners: [
        {
          prize_rank: 1,
          prize_name: '$50 Amazon Gift Card',
          user_id: '11111111-1111-4111-8111-111111111111',
          display_name: 'Alex R.',
          ticket_number: 2,
        },
      ],
      verification: VERIFY_EXAMPLE,
    } satisfies DrawingResults,
  })
  getDrawingResults(
    @Param('id', IsUuidParam) id: string,
    @CurrentUser() principal: Principal,
  ): Promise<DrawingResults> {
    return this.execution.results(id, principal);
  }

  @Get('drawings/:id/ticket-list')
  @Public()
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @ApiProduces('text/csv')
  @ApiEndpoint('Download a drawing’s frozen ticket list (CSV)', {
    description: '`ticket_number,user_id`, ascending, streamed; published from sales close on.',
    errors: { 404: 'Drawing not found', 409: 'The ticket list is published at sales close' },
  })
  @ApiOkResponse({
    description: 'text/csv',
    example: 'ticket_number,user_id\n1,11111111-1111-4111-8111-111111111111\n',
  })
  async getTicketList(@Param('id', IsUuidParam) id: string): Promise<StreamableFile> {
    const lines = await this.execution.ticketList(id);
    async function* csv() {
      yield 'ticket_number,user_id\n';
      yield* lines;
    }
    return new StreamableFile(Readable.from(csv()), { type: 'text/csv; charset=utf-8' });
  }

  @Post('admin/drawings/:id/execute')
  @HttpCode(200)
  @Roles('admin')
  @ApiBearerAuth('bearer')
  @ApiEndpoint('Run the draw of a closed drawing now (admin)', {
    description: 'Idempotent: executing a completed drawing returns the same result and draws nothing.',
    errors: {
      404: 'Drawing not found',
      409: ['Cannot execute a open drawing (it must be closed)', 'Beacon round not yet available'],
    },
  })
  @ApiOkResponse({ description: 'The verification block of the draw', example: VERIFY_EXAMPLE })
  executeDrawing(
    @Param('id', IsUuidParam) id: string,
    @CurrentUser() admin: Principal,
  ): Promise<Verification> {
    return this.execution.execute(id, admin);
  }

  @Post('admin/drawings/:id/cancel')
  @HttpCode(200)
  @Roles('admin')
  @ApiBearerAuth('bearer')
  @ApiEndpoint('Cancel a drawing and refund every ticket (admin)', {
    description: 'Free tickets are just void. Repeating it refunds nothing twice.',
    errors: { 404: 'Drawing not found', 409: 'Cannot transition from completed to cancelled' },
  })
  @ApiOkResponse({ description: 'Cancelled', example: { status: 'cancelled' } })
  async cancelDrawing(@Param('id', IsUuidParam) id: string, @CurrentUser() admin: Principal) {
    await this.execution.cancel(id, admin);
    return { status: 'cancelled' };
  }

  @Get('admin/audit-log')
  @Roles('admin')
  @ApiBearerAuth('bearer')
  @ApiEndpoint('List the sweepstakes audit log (admin)', {
    description:
      'Every admin action on drawings, prizes and fulfillments: who, what, when, before and after. Newest first.',
    errors: { 422: 'page must not be less than 1' },
  })
  @ApiOkResponse({
    description: 'Entries, newest first',
    example: {
      data: [
        {
          id: 'b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e',
          actor_id: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f',
          action: 'drawing.scheduled',
          entity_type: 'drawing',
          entity_id: 'a4b7c2d1-5e6f-4a8b-9c0d-1e2f3a4b5c6d',
          before: { status: 'draft' },
          after: { status: 'scheduled' },
          created_at: '2026-01-16T12:00:00.000Z',
        },
      ],
      meta: { page: 1, per_page: 20, total: 1, total_pages: 1 },
    },
  })
  async listAuditLog(@Query() query: ListQueryDto): Promise<Page<Record<string, unknown>>> {
    const [rows, total] = await this.execution.auditLog(query);
    return {
      data: rows.map((row) => ({
        id: row.id,
        actor_id: row.actorId,
        action: row.action,
        entity_type: row.entityType,
        entity_id: row.entityId,
        before: row.beforeState,
        after: row.afterState,
        created_at: new Date(row.createdAt).toISOString(),
      })),
      meta: {
        page: query.page,
        per_page: query.per_page,
        total,
        total_pages: Math.ceil(total / query.per_page),
      },
    };
  }
}
