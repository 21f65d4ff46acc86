import { Body, Controller, Get, Headers, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  ApiEndpoint,
  type ApiErrors,
  Authenticated,
  CurrentUser,
  IsUuidParam,
  type Page,
  type Principal,
  UnprocessableError,
} from '@fittrack/core';
import { TicketsService, type Odds } from './tickets.service';
import {
  ListTicketsQueryDto,
  type MyTicketResponse,
  ODDS_EXAMPLE,
  PurchaseTicketsDto,
  TICKET_EXAMPLE,
  type TicketResponse,
  toMyTicketResponse,
  toTicketResponse,
} from './dto/tickets.dto';

/** A client's retry key: printable ASCII, as Stripe-style Idempotency-Key headers are. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,100}$/;

const ENTRY_ERRORS: ApiErrors = {
  403: ['Ticket sales closed', 'Not eligible for this drawing', 'Staff cannot enter drawings'],
  404: 'Drawing not found',
};

@ApiTags('drawings')
@ApiBearerAuth('bearer')
@Controller()
export class TicketsController {
  constructor(private readonly tickets: TicketsService) {}

  @Post('drawings/:id/tickets')
  @Authenticated()
  @ApiEndpoint('Buy tickets for a drawing', {
    description:
      'One transaction: the points are spent through the ledger and the tickets numbered 1..N without gaps. ' +
      'With an `Idempotency-Key` header, a retried purchase returns the first result and spends nothing.',
    errors: {
      ...ENTRY_ERRORS,
      409: 'Insufficient points',
      422: [
        'quantity must not be greater than 100',
        'Idempotency-Key must be 1 to 100 printable ASCII characters',
      ],
    },
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Up to 100 printable ASCII characters',
  })
  @ApiCreatedResponse({
    description: 'The tickets, the points spent, the balance left and the new odds',
    example: {
      tickets: [TICKET_EXAMPLE],
      points_spent: 100,
      point_balance: 400,
      ...ODDS_EXAMPLE,
      replayed: false,
    },
  })
  async buyTickets(
    @Param('id', IsUuidParam) id: string,
    @Body() dto: PurchaseTicketsDto,
    @CurrentUser() principal: Principal,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<
    { tickets: TicketResponse[]; points_spent: number; point_balance: number; replayed: boolean } & Odds
  > {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new UnprocessableError('Idempotency-Key must be 1 to 100 printable ASCII characters');
    }
    const result = await this.tickets.purchase(id, dto.quantity, principal, idempotencyKey);
    return {
      tickets: result.tickets.map(toTicketResponse),
      points_spent: result.pointsSpent,
      point_balance: result.pointBalance,
      ...result.odds,
      replayed: result.replayed,
    };
  }

  @Post('drawings/:id/free-entry')
  @Authenticated()
  @ApiEndpoint('Take the free entry to a drawing (no purchase necessary)', {
    description: 'One ticket per user per drawing at 0 points, with the same odds as a bought one.',
    errors: { ...ENTRY_ERRORS, 409: 'Free entry already used for this drawing' },
  })
  @ApiCreatedResponse({
    description: 'The free ticket and the new odds',
    example: { ticket: { ...TICKET_EXAMPLE, is_free: true }, ...ODDS_EXAMPLE },
  })
  async takeFreeEntry(
    @Param('id', IsUuidParam) id: string,
    @CurrentUser() principal: Principal,
  ): Promise<{ ticket: TicketResponse } & Odds> {
    const { ticket, odds } = await this.tickets.freeEntry(id, principal);
    return { ticket: toTicketResponse(ticket), ...odds };
  }

  @Get('tickets')
  @Authenticated()
  @ApiEndpoint('List my tickets across drawings', {
    errors: { 422: 'sort may only use: created_at, ticket_number' },
  })
  @ApiOkResponse({
    description: 'Own tickets, newest first, with the drawing and whether the ticket won',
    example: {
      data: [{ ...TICKET_EXAMPLE, drawing_name: 'Daily Drawing - Jan 16, 2026', drawing_status: 'open' }],
      meta: { page: 1, per_page: 20, total: 1, total_pages: 1 },
    },
  })
  async listMyTickets(
    @Query() query: ListTicketsQueryDto,
    @CurrentUser() principal: Principal,
  ): Promise<Page<MyTicketResponse>> {
    const { page, drawings } = await this.tickets.listMine(query, principal);
    return {
      data: page.data.map((ticket) => toMyTicketResponse(ticket, drawings.get(ticket.drawingId))),
      meta: page.meta,
    };
  }
}
