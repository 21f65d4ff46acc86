import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { ListQueryDto, IsSort } from '@fittrack/core';
import type { Drawing, DrawingStatus } from '../entities/drawing.entity';
import type { Ticket } from '../entities/ticket.entity';
import { MAX_TICKETS_PER_PURCHASE, type Odds } from '../tickets.service';

export class PurchaseTicketsDto {
  @ApiProperty({ minimum: 1, maximum: MAX_TICKETS_PER_PURCHASE, example: 5 })
  @IsInt()
  @Min(1)
  @Max(MAX_TICKETS_PER_PURCHASE)
  quantity!: number;
}

export class ListTicketsQueryDto extends ListQueryDto {
  @IsSort(['created_at', 'ticket_number'])
  declare sort?: string;
}

export interface TicketResponse {
  id: string;
  drawing_id: string;
  ticket_number: number;
  is_free: boolean;
  is_winner: boolean;
  created_at: string;
}

export interface MyTicketResponse extends TicketResponse {
  drawing_name: string | null;
  drawing_status: DrawingStatus | null;
}

export const toTicketResponse = (ticket: Ticket): TicketResponse => ({
  id: ticket.id,
  drawing_id: ticket.drawingId,
  ticket_number: ticket.ticketNumber,
  is_free: ticket.isFree,
  is_winner: ticket.isWinner,
  created_at: new Date(ticket.createdAt).toISOString(),
});

export const toMyTicketResponse = (ticket: Ticket, drawing: Drawing | undefined): MyTicketResponse => ({
  ...toTicketResponse(ticket),
  drawing_name: drawing?.name ?? null,
  drawing_status: drawing?.status ?? null,
});

export const TICKET_EXAMPLE: TicketResponse = {
  id: 'f1e2d3c4-b5a6-4978-8695-a4b3c2d1e0f9',
  drawing_id: 'a4b7c2d1-5e6f-4a8b-9c0d-1e2f3a4b5c6d',
  ticket_number: 343,
  is_free: false,
  is_winner: false,
  created_at: '2026-01-16T12:00:00.000Z',
};

export const ODDS_EXAMPLE: Odds = { my_tickets: 5, odds: '1 in 70', odds_if_buy_one: '1 in 59' };
