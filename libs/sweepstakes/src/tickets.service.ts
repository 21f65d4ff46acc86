import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  type Caller,
  Clock,
  ConflictError,
  ForbiddenError,
  isSystem,
  Metrics,
  NotFoundError,
  type Principal,
  UnitOfWork,
  UnprocessableError,
  assertCaller,
  type ListRequest,
  userIdOf,
} from '@fittrack/core';
import { LedgerService, type PointTransaction } from '@fittrack/points';
import { UsersRepository } from '@fittrack/users';
import type { Drawing } from './entities/drawing.entity';
import type { Ticket } from './entities/ticket.entity';
import { TicketsRepository } from './tickets.repository';

export const TICKET_SALES_CLOSED = 'Ticket sales closed';
export const NOT_ELIGIBLE = 'Not eligible for this drawing';
export const STAFF_CANNOT_ENTER = 'Staff cannot enter drawings';
export const FREE_ENTRY_USED = 'Free entry already used for this drawing';
export const MAX_TICKETS_PER_PURCHASE = 100;

export interface Odds {
  my_tickets: number;
  /** `1 in N`, N = ceil(total / mine); null without a ticket. */
  odds: string | null;
  /** `1 in N`, N = ceil((total + 1) / (mine + 1)). */
  odds_if_buy_one: string;
}

export interface PurchaseResult {
  tickets: Ticket[];
  pointsSpent: number;
  pointBalance: number;
  odds: Odds;
  replayed: boolean;
}

export const oddsOf = (total: number, mine: number): Odds => ({
  my_tickets: mine,
  odds: mine > 0 ? `1 in ${Math.ceil(total / mine)}` : null,
  odds_if_buy_one: `1 in ${Math.ceil((total + 1) / (mine + 1))}`,
});

/**
 * Ticket sales: paid purchases through the ledger and the free alternate method of entry. Each is one unit
 * of work; locks are taken in one order, the entrant (ledger) first, then the drawing row, so two purchases
 * never deadlock and numbers stay 1..N without gaps. The drawing row is taken last and held only for the
 * numbering, since every buyer of the drawing queues on it.
 */
@Injectable()
export class TicketsService {
  constructor(
    private readonly tickets: TicketsRepository,
    private readonly users: UsersRepository,
    private readonly ledger: LedgerService,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
  ) {}

  async purchase(
    drawingId: string,
    quantity: number,
    caller: Caller,
    idempotencyKey?: string,
  ): Promise<PurchaseResult> {
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_TICKETS_PER_PURCHASE) {
      throw new UnprocessableError(`quantity must be a whole number from 1 to ${MAX_TICKETS_PER_PURCHASE}`);
    }
    const buyer = this.entrant(caller);
    // The client's key is scoped to the buyer and drawing, so it can never replay someone else's purchase.
    const key = `tickets:${buyer.userId}:${drawingId}:${idempotencyKey ?? randomUUID()}`;
    // A retry of a purchase that committed returns its first result even once sales have closed
    // (ADR 0019): the points were spent and the tickets are the buyer's, so a 403 would be false.
    if (idempotencyKey !== undefined) {
      const first = await this.tickets.spendByKey(key);
      if (first) return this.replay(first, drawingId, buyer.userId);
    }
    return this.unitOfWork.run(async () => {
      // The checks read on the unit's connection: one pool checkout a purchase, not one per read, while
      // every buyer of a hot drawing queues for connections.
      const drawing = await this.checkEntry(drawingId, buyer);
      const cost = drawing.ticketCostPoints * quantity;
      const { entry, replayed } = await this.ledger.post({
        userId: buyer.userId,
        type: 'spend',
        amount: -cost,
        reference: { type: 'ticket_purchase', id: drawingId },
        description: `${quantity} ticket${quantity === 1 ? '' : 's'} for ${drawing.name}`.slice(0, 255),
        idempotencyKey: key,
      });
      const spend = entry!;
      // A concurrent retry with the same key committed first (the ledger checks the key under the user lock).
      if (replayed) return this.replay(spend, drawingId, buyer.userId);
      // Counted under the buyer's lock (every ticket issue holds it), before the drawing lock: the drawing
      // row is the one every buyer queues on, so it is held for the numbering alone.
      const before = await this.tickets.countForUser(drawingId, buyer.userId);
      const tickets = await this.issue(drawingId, buyer.userId, quantity, spend.id);
      await this.unitOfWork.afterCommit(async () =>
        this.metrics.tickets.inc({ drawing_type: drawing.drawingType }, quantity),
      );
      return {
        tickets,
        pointsSpent: cost,
        pointBalance: spend.balanceAfter,
        odds: oddsOf(tickets.at(-1)!.ticketNumber, before + quantity),
        replayed: false,
      };
    });
  }

  /** No purchase necessary: one ticket per user per drawing at 0 points, the same odds as a bought one. */
  async freeEntry(drawingId: string, caller: Caller): Promise<{ ticket: Ticket; odds: Odds }> {
    const entrant = this.entrant(caller);
    return this.unitOfWork.run(async () => {
      await this.checkEntry(drawingId, entrant);
      // The user's lock first, as purchases take it: two free entries of one user cannot both pass, and
      // the user's count is stable until commit.
      await this.ledger.lockUser(entrant.userId);
      if (await this.tickets.hasFreeEntry(drawingId, entrant.userId))
        throw new ConflictError(FREE_ENTRY_USED);
      const before = await this.tickets.countForUser(drawingId, entrant.userId);
      const [ticket] = await this.issue(drawingId, entrant.userId, 1, null);
      return { ticket, odds: oddsOf(ticket.ticketNumber, before + 1) };
    });
  }

  /** Own tickets across drawings (every caller sees only their own). */
  listMine(query: ListRequest, caller: Caller) {
    return this.tickets.listForUser(query, this.entrantOrReader(caller));
  }

  /** Odds for a reader of the drawing (admins and the system hold no tickets). */
  async oddsFor(drawing: Drawing, caller: Caller): Promise<Odds> {
    assertCaller(caller);
    const mine =
      isSystem(caller) || caller.role === 'admin'
        ? 0
        : await this.tickets.countForUser(drawing.id, caller.userId);
    return oddsOf(drawing.totalTickets, mine);
  }

  /** Numbers and inserts the tickets; a drawing closed meanwhile refuses (the unit of work rolls the payment back). */
  private async issue(
    drawingId: string,
    userId: string,
    quantity: number,
    purchaseTransactionId: string | null,
  ): Promise<Ticket[]> {
    const tickets = await this.tickets.issue(
      drawingId,
      userId,
      quantity,
      purchaseTransactionId,
      this.clock.now(),
    );
    if (!tickets) throw new ForbiddenError(TICKET_SALES_CLOSED);
    return tickets;
  }

  /** The first result of a purchase, from its spend entry: its tickets, the balance now and the odds now. */
  private async replay(spend: PointTransaction, drawingId: string, userId: string): Promise<PurchaseResult> {
    const tickets = await this.tickets.byPurchase(spend.id);
    const drawing = await this.tickets.findDrawing(drawingId);
    const mine = await this.tickets.countForUser(drawingId, userId);
    const balance = (await this.users.get(userId))!.pointBalance;
    return {
      tickets,
      pointsSpent: -spend.amount,
      pointBalance: balance,
      odds: oddsOf(drawing!.totalTickets, mine),
      replayed: true,
    };
  }

  private entrantOrReader(caller: Caller): string {
    const userId = userIdOf(caller);
    if (!userId) throw new ForbiddenError();
    return userId;
  }

  /** Staff (admins) and the system cannot hold tickets. */
  private entrant(caller: Caller): Principal {
    assertCaller(caller);
    if (isSystem(caller) || caller.role === 'admin') throw new ForbiddenError(STAFF_CANNOT_ENTER);
    return caller;
  }

  /** The drawing is open for sales now and the user meets its eligibility (checked server-side). */
  private async checkEntry(drawingId: string, entrant: Principal): Promise<Drawing> {
    const drawing = await this.tickets.findDrawing(drawingId);
    if (!drawing || drawing.status === 'draft') throw new NotFoundError('Drawing');
    this.checkOpen(drawing);
    const user = await this.users.get(entrant.userId);
    if (!user) throw new NotFoundError('User');
    const { user_type: userType, min_account_age_days: minDays } = drawing.eligibility;
    const ageDays = (this.clock.now().getTime() - new Date(user.createdAt).getTime()) / 86_400_000;
    if ((userType === 'premium' && user.role !== 'premium') || ageDays < (minDays ?? 0)) {
      throw new ForbiddenError(NOT_ELIGIBLE);
    }
    return drawing;
  }

  private checkOpen(drawing: Drawing): void {
    const now = this.clock.now();
    if (
      drawing.status !== 'open' ||
      now >= new Date(drawing.ticketSalesClose) ||
      now < new Date(drawing.opensAt)
    ) {
      throw new ForbiddenError(TICKET_SALES_CLOSED);
    }
  }
}
