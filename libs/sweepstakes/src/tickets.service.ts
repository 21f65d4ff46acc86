import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  type Caller,
  Clock,
  ConflictError,
  DomainError,
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
import { type Entry, type EntryDrawing, type IssueEntry, TicketsRepository } from './tickets.repository';

export const TICKET_SALES_CLOSED = 'Ticket sales closed';
export const NOT_ELIGIBLE = 'Not eligible for this drawing';
export const STAFF_CANNOT_ENTER = 'Staff cannot enter drawings';
export const FREE_ENTRY_USED = 'Free entry already used for this drawing';
export const MAX_TICKETS_PER_PURCHASE = 100;
/** At most this many purchases of one drawing share a unit of work (see TicketsService.enqueue). */
export const PURCHASES_PER_TURN = 10;

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

/** A purchase to make: the buyer, how many tickets, the ledger key of its spend. */
interface Order {
  buyer: Principal;
  quantity: number;
  key: string;
}

/** An order waiting for its drawing's next turn, with its caller's promise. */
interface Queued extends Order {
  resolve: (result: PurchaseResult) => void;
  reject: (error: unknown) => void;
}

interface Turn {
  orders: Queued[];
  tickets: number;
}

/** What a turn did with one order: sold, refused, or the first result of its key to read after commit. */
type Outcome = { result: PurchaseResult } | { error: unknown } | { replayOf: PointTransaction };

export const oddsOf = (total: number, mine: number): Odds => ({
  my_tickets: mine,
  odds: mine > 0 ? `1 in ${Math.ceil(total / mine)}` : null,
  odds_if_buy_one: `1 in ${Math.ceil((total + 1) / (mine + 1))}`,
});

/**
 * Ticket sales: paid purchases through the ledger and the free alternate method of entry. Locks are taken
 * in one order, the entrants (ledger, by user id) first, then the drawing row, so two units of work never
 * deadlock and numbers stay 1..N without gaps. The drawing row is taken last and held only for the
 * numbering, since every buyer of the drawing queues on it; concurrent purchases of a drawing share a
 * unit of work (a turn) and so one hold of it (ADR 0019).
 */
@Injectable()
export class TicketsService {
  /** Per drawing, the turn that collects this event-loop turn's purchases (see enqueue). */
  private readonly waiting = new Map<string, Turn>();

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
    const order: Order = { buyer, quantity, key };
    if (this.unitOfWork.active) {
      // Inside a caller's unit of work the purchase belongs to it, not to a shared turn.
      const [outcome] = await this.sell(drawingId, [order]);
      return this.settled(outcome, drawingId, order);
    }
    return new Promise((resolve, reject) => this.enqueue(drawingId, { ...order, resolve, reject }));
  }

  /** No purchase necessary: one ticket per user per drawing at 0 points, the same odds as a bought one. */
  async freeEntry(drawingId: string, caller: Caller): Promise<{ ticket: Ticket; odds: Odds }> {
    const entrant = this.entrant(caller);
    return this.unitOfWork.run(async () => {
      this.checkEntry(await this.tickets.entryOf(drawingId, [entrant.userId]), entrant);
      // The user's lock first, as purchases take it: two free entries of one user cannot both pass, and
      // the user's count is stable until commit.
      await this.ledger.lockUser(entrant.userId);
      if (await this.tickets.hasFreeEntry(drawingId, entrant.userId))
        throw new ConflictError(FREE_ENTRY_USED);
      const before = await this.tickets.countForUser(drawingId, entrant.userId);
      const [[ticket]] = await this.issue(drawingId, [
        { userId: entrant.userId, quantity: 1, purchaseTransactionId: null },
      ]);
      return { ticket, odds: oddsOf(ticket.ticketNumber, before + 1) };
    });
  }

  /**
   * Queues a purchase for the drawing's next turn (ADR 0019): the purchases placed in one turn of the
   * event loop, up to PURCHASES_PER_TURN of them and MAX_TICKETS_PER_PURCHASE tickets, share one unit of
   * work and so one hold of the drawing row, which every buyer of the drawing queues on.
   */
  private enqueue(drawingId: string, order: Queued): void {
    let turn = this.waiting.get(drawingId);
    if (turn && turn.tickets + order.quantity > MAX_TICKETS_PER_PURCHASE) {
      this.start(drawingId, turn);
      turn = undefined;
    }
    if (!turn) {
      const next: Turn = { orders: [], tickets: 0 };
      this.waiting.set(drawingId, next);
      setImmediate(() => this.start(drawingId, next));
      turn = next;
    }
    turn.orders.push(order);
    turn.tickets += order.quantity;
    if (turn.orders.length >= PURCHASES_PER_TURN) this.start(drawingId, turn);
  }

  private start(drawingId: string, turn: Turn): void {
    if (this.waiting.get(drawingId) !== turn) return; // started already
    this.waiting.delete(drawingId);
    void this.settle(drawingId, turn.orders);
  }

  /** Runs one turn and answers each of its orders; never rejects. */
  private async settle(drawingId: string, orders: Queued[]): Promise<void> {
    let outcomes: Outcome[];
    try {
      outcomes = await this.unitOfWork.run(() => this.sell(drawingId, orders));
    } catch (error) {
      // The turn failed as a whole (a database error, or sales closed before its numbers) and rolled
      // back: each order runs again on its own, so one order's failure is never another's.
      if (orders.length > 1) {
        await Promise.all(orders.map((order) => this.settle(drawingId, [order])));
        return;
      }
      outcomes = [{ error }];
    }
    await Promise.all(
      orders.map((order, i) => this.settled(outcomes[i], drawingId, order).then(order.resolve, order.reject)),
    );
  }

  /**
   * Sells `orders` in the current unit of work: each buyer's checks and spend under the buyer's ledger
   * lock (in user id order, the same in every turn, so two turns never deadlock), then every paid order's
   * tickets numbered at once under the drawing row, taken last. A refused order (a domain error: the
   * checks and the ledger refuse before they write) leaves the others to go on; anything else fails the
   * turn. Outcomes are in the orders' order.
   */
  private async sell(drawingId: string, orders: readonly Order[]): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    const paid: Array<{ at: number; cost: number; spend: PointTransaction; drawing: EntryDrawing }> = [];
    const byUser = orders
      .map((order, at) => ({ order, at }))
      .sort((a, b) => a.order.buyer.userId.localeCompare(b.order.buyer.userId) || a.at - b.at);
    // The drawing and every buyer in one read, on the unit's connection: one pool checkout a turn.
    const entrants = await this.tickets.entryOf(
      drawingId,
      orders.map((order) => order.buyer.userId),
    );
    for (const { order, at } of byUser) {
      const { buyer, quantity, key } = order;
      try {
        const drawing = this.checkEntry(entrants, buyer);
        const cost = drawing.ticketCostPoints * quantity;
        const { entry, replayed } = await this.ledger.post({
          userId: buyer.userId,
          type: 'spend',
          amount: -cost,
          reference: { type: 'ticket_purchase', id: drawingId },
          description: `${quantity} ticket${quantity === 1 ? '' : 's'} for ${drawing.name}`.slice(0, 255),
          idempotencyKey: key,
        });
        // A retry with the same key committed first (the ledger checks the key under the user lock), or
        // came earlier in this turn: answered from its first result once this turn has committed.
        if (replayed) outcomes[at] = { replayOf: entry! };
        else paid.push({ at, cost, spend: entry!, drawing });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        outcomes[at] = { error };
      }
    }
    if (!paid.length) return outcomes;
    const buyers = paid.map(({ at }) => orders[at].buyer.userId);
    // Under every buyer's lock (every ticket issue holds it): the counts cannot move until commit.
    const mine = await this.tickets.countsFor(drawingId, buyers);
    const issued = await this.issue(
      drawingId,
      paid.map(({ at, spend }) => ({
        userId: orders[at].buyer.userId,
        quantity: orders[at].quantity,
        purchaseTransactionId: spend.id,
      })),
    );
    paid.forEach(({ at, cost, spend }, n) => {
      const userId = buyers[n];
      mine.set(userId, (mine.get(userId) ?? 0) + orders[at].quantity);
      outcomes[at] = {
        result: {
          tickets: issued[n],
          pointsSpent: cost,
          pointBalance: spend.balanceAfter,
          odds: oddsOf(issued[n].at(-1)!.ticketNumber, mine.get(userId)!),
          replayed: false,
        },
      };
    });
    const sold = paid.reduce((sum, { at }) => sum + orders[at].quantity, 0);
    const drawingType = paid[0].drawing.drawingType;
    await this.unitOfWork.afterCommit(async () =>
      this.metrics.tickets.inc({ drawing_type: drawingType }, sold),
    );
    return outcomes;
  }

  /** An order's answer from its outcome (a replay is read now, after its turn committed). */
  private async settled(outcome: Outcome, drawingId: string, order: Order): Promise<PurchaseResult> {
    if ('error' in outcome) throw outcome.error;
    if ('replayOf' in outcome) return this.replay(outcome.replayOf, drawingId, order.buyer.userId);
    return outcome.result;
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

  /** Numbers and inserts the tickets; a drawing closed meanwhile refuses (the unit of work rolls the payments back). */
  private async issue(drawingId: string, entries: readonly IssueEntry[]): Promise<Ticket[][]> {
    const issued = await this.tickets.issue(drawingId, entries, this.clock.now());
    if (!issued) throw new ForbiddenError(TICKET_SALES_CLOSED);
    return issued;
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
  private checkEntry(entry: Entry | null, entrant: Principal): EntryDrawing {
    const drawing = entry?.drawing;
    if (!drawing || drawing.status === 'draft') throw new NotFoundError('Drawing');
    this.checkOpen(drawing);
    const user = entry.users.get(entrant.userId);
    if (!user) throw new NotFoundError('User');
    const { user_type: userType, min_account_age_days: minDays } = drawing.eligibility;
    const ageDays = (this.clock.now().getTime() - new Date(user.createdAt).getTime()) / 86_400_000;
    if ((userType === 'premium' && user.role !== 'premium') || ageDays < (minDays ?? 0)) {
      throw new ForbiddenError(NOT_ELIGIBLE);
    }
    return drawing;
  }

  private checkOpen(drawing: EntryDrawing): void {
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
