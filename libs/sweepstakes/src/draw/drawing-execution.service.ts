import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import {
  type Caller,
  Clock,
  ConflictError,
  Metrics,
  NotFoundError,
  ServiceUnavailableError,
  sha256Hex,
  SYSTEM_PRINCIPAL,
  UnitOfWork,
  userIdOf,
} from '@fittrack/core';
import { LedgerService } from '@fittrack/points';
import { UsersRepository } from '@fittrack/users';
import type { PrizeFulfillment } from '@fittrack/fulfillment';
import type { Drawing, DrawingStatus } from '../entities/drawing.entity';
import type { Prize } from '../entities/prize.entity';
import { canTransition } from '../drawing-state';
import { TicketsRepository } from '../tickets.repository';
import { BeaconNotAvailableError, type BeaconRound, BeaconService, verifyRound } from './beacon';
import { DrawRepository } from './draw.repository';
import { WinnersAwardedHooks } from './winners.hooks';
import { AuditLogService } from '../audit/audit-log.service';
import { DRAW_ALGORITHM, drawKey, drawWinners, TicketsHasher, type TicketSource } from './fair-draw';

export interface Verification {
  drawing_id: string;
  status: DrawingStatus;
  algorithm: string;
  seed_commitment: string | null;
  seed: string | null;
  beacon: {
    source: 'drand';
    chain_hash: string;
    round: number;
    randomness: string | null;
    signature: string | null;
  } | null;
  tickets_hash: string | null;
  total_tickets: number;
  prize_ranks: number;
  winners: Array<{ prize_rank: number; ticket_number: number; user_id: string }>;
  redraws: Array<{ prize_rank: number; ticket_number: number; user_id: string; replaces_ticket: number }>;
  ticket_list: string;
}

export interface DrawingResults {
  drawing_id: string;
  status: DrawingStatus;
  completed_at: string | null;
  total_tickets: number;
  you_won: boolean;
  winners: Array<{
    prize_rank: number;
    prize_name: string;
    user_id: string;
    display_name: string | null;
    ticket_number: number;
  }>;
  verification: Verification;
}

/** What the audit log keeps of a drawing: its state, never the secret seed (which drawings do not hold). */
const snapshot = (drawing: Drawing) => ({
  status: drawing.status,
  name: drawing.name,
  ticket_cost_points: drawing.ticketCostPoints,
  opens_at: drawing.opensAt,
  ticket_sales_close: drawing.ticketSalesClose,
  drawing_time: drawing.drawingTime,
  eligibility: drawing.eligibility,
  total_tickets: drawing.totalTickets,
  seed_commitment: drawing.seedCommitment,
  tickets_hash: drawing.ticketsHash,
});

/**
 * The drawing lifecycle after creation: schedule (commit to a secret seed), open, close (freeze the ticket
 * list and publish its hash), execute (the draw of fair-draw.md), cancel (refund every ticket). Each step
 * is a conditional update on the expected status, so two schedulers or admins at once change it once.
 */
@Injectable()
export class DrawingExecutionService {
  private readonly logger = new Logger(DrawingExecutionService.name);

  constructor(
    private readonly draws: DrawRepository,
    private readonly tickets: TicketsRepository,
    private readonly ledger: LedgerService,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly beacon: BeaconService,
    private readonly winnersAwarded: WinnersAwardedHooks,
    private readonly auditTrail: AuditLogService,
    private readonly metrics: Metrics,
    private readonly users: UsersRepository,
  ) {}

  /** Moves a drawing to `to` along the state machine (409 otherwise); the admin PUT and the scheduler use it. */
  async transition(id: string, to: DrawingStatus, caller: Caller): Promise<void> {
    const drawing = await this.getOrFail(id);
    if (drawing.status === to && to !== 'cancelled') return;
    if (to === 'cancelled') return this.cancel(id, caller);
    if (!canTransition(drawing.status, to)) {
      throw new ConflictError(`Cannot transition from ${drawing.status} to ${to}`);
    }
    if (to === 'completed') throw new ConflictError('A drawing is completed by executing it');
    const moved = await this.unitOfWork.run(async () => {
      let ok: boolean;
      if (to === 'scheduled') {
        // Before any ticket can exist: commit to a secret seed (never replaced) and, with a beacon, publish
        // the round the draw will use.
        const seed = randomBytes(32).toString('hex');
        ok = await this.draws.transition(
          id,
          ['draft'],
          'scheduled',
          {
            seedCommitment: sha256Hex(Buffer.from(seed, 'hex')),
            ...(this.beacon.configured
              ? {
                  beaconRound: String(this.beacon.roundFor(drawing.drawingTime)),
                  beaconChainHash: this.beacon.chain.chainHash,
                }
              : {}),
          },
          'seed_commitment IS NULL',
        );
        if (ok) await this.draws.saveSeed(id, seed);
      } else if (to === 'closed') {
        ok = await this.draws.transition(id, ['open'], 'closed');
        // The status change holds the drawing row: purchases either committed before it or now see `closed`.
        if (ok) await this.freezeTicketList(id);
      } else {
        ok = await this.draws.transition(id, [drawing.status], to);
      }
      if (ok) await this.audited(caller, `drawing.${to}`, drawing, await this.getOrFail(id));
      return ok;
    });
    if (!moved) {
      const now = await this.getOrFail(id);
      if (now.status !== to) throw new ConflictError(`Cannot transition from ${now.status} to ${to}`);
    }
  }

  /** Every path to `cancelled` refunds every paid ticket (free tickets are just void). Safe to repeat. */
  async cancel(id: string, caller: Caller): Promise<void> {
    const drawing = await this.getOrFail(id);
    if (drawing.status !== 'cancelled') {
      const moved = await this.unitOfWork.run(async () => {
        const ok = await this.draws.transition(id, ['draft', 'scheduled', 'open'], 'cancelled');
        if (ok) await this.audited(caller, 'drawing.cancel', drawing, await this.getOrFail(id));
        return ok;
      });
      if (!moved && (await this.getOrFail(id)).status !== 'cancelled') {
        throw new ConflictError(`Cannot transition from ${drawing.status} to cancelled`);
      }
    }
    // One refund per purchase, each its own unit keyed by the purchase: a retry refunds nothing twice,
    // and no drawing lock is held while the ledger locks users (purchases lock user, then drawing).
    for (const purchaseId of await this.tickets.purchasesOf(id)) {
      const spend = await this.ledgerEntry(purchaseId);
      await this.ledger.post({
        userId: spend.userId,
        type: 'refund',
        amount: -spend.amount,
        reference: { type: 'ticket_purchase', id },
        description: `Refund: drawing ${drawing.name} cancelled`.slice(0, 255),
        idempotencyKey: `refund:${purchaseId}`,
      });
    }
  }

  /**
   * The draw (fair-draw.md) of a closed drawing, at most once: the claim is a conditional update setting
   * `completed_at`, so a second execution, concurrent or later, draws nothing and returns the same result.
   */
  async execute(id: string, caller: Caller): Promise<Verification> {
    const drawing = await this.getOrFail(id);
    if (drawing.status === 'completed') return this.verification(id);
    if (drawing.status !== 'closed') {
      throw new ConflictError(`Cannot execute a ${drawing.status} drawing (it must be closed)`);
    }
    try {
      await this.draw(drawing, caller);
    } catch (error) {
      // A beacon round not out yet is the normal wait, not a failure: a later tick draws it.
      if (!(error instanceof BeaconNotAvailableError)) {
        this.metrics.drawingsExecuted.inc({ drawing_type: drawing.drawingType, outcome: 'failed' });
      }
      throw error;
    }
    return this.verification(id);
  }

  /** Claims the closed drawing and draws it, in one unit of work; does nothing if another execution claimed it. */
  private async draw(drawing: Drawing, caller: Caller): Promise<void> {
    const id = drawing.id;
    // Outside the unit of work (a network call): the round, verified; without it the drawing waits.
    const beacon = await this.beaconOf(drawing);
    await this.unitOfWork.run(async () => {
      const now = this.clock.now();
      const claimed = await this.draws.transition(
        id,
        ['closed'],
        'completed',
        {
          completedAt: now,
          ...(beacon ? { beaconValue: beacon.randomness, beaconSignature: beacon.signature } : {}),
        },
        'completed_at IS NULL',
      );
      if (!claimed) return;
      const seed = await this.draws.readSeed(id);
      if (!seed || !drawing.ticketsHash) throw new Error(`Drawing ${id} has no seed or ticket list hash`);
      const prizes = await this.draws.prizesOf(id);
      const key = drawKey(seed, beacon?.randomness ?? null, drawing.ticketsHash);
      const { winners, nextCounter } = await drawWinners(
        key,
        this.source(id, drawing.totalTickets),
        prizes.map((prize) => prize.rank),
      );
      const fulfillmentIds: string[] = [];
      for (const winner of winners) {
        const prize = prizes.find((p) => p.rank === winner.prizeRank)!;
        fulfillmentIds.push((await this.awardTicket(id, winner.ticketNumber, prize)).id);
      }
      await this.draws.update(id, { seed, drawCounter: nextCounter });
      await this.winnersAwarded.publish({ drawingId: id, fulfillmentIds });
      await this.audited(caller, 'drawing.execute', drawing, {
        ...snapshot(await this.getOrFail(id)),
        winners: winners.map((w) => ({ rank: w.prizeRank, ticket: w.ticketNumber })),
      });
      // Counted once the draw has committed, by the execution that claimed it.
      await this.unitOfWork.afterCommit(async () =>
        this.metrics.drawingsExecuted.inc({ drawing_type: drawing.drawingType, outcome: 'completed' }),
      );
    });
  }

  /**
   * A forfeited prize's alternate winner (fair-draw.md, Re-draws), inside the caller's unit of work: the
   * sequence continues from the drawing's counter, skipping every owner who has already won in this
   * drawing. The counter moves by a conditional update, so of two concurrent re-draws one wins (409).
   * Null when no ticket of a not-yet-winning owner remains.
   */
  async drawAlternate(
    drawingId: string,
    prizeId: string,
    replacesTicket: number,
  ): Promise<PrizeFulfillment | null> {
    const drawing = await this.getOrFail(drawingId);
    if (
      drawing.status !== 'completed' ||
      !drawing.seed ||
      !drawing.ticketsHash ||
      drawing.drawCounter === null
    ) {
      throw new ConflictError('Drawing not completed');
    }
    const prize = (await this.draws.prizesOf(drawingId)).find((p) => p.id === prizeId);
    if (!prize) throw new NotFoundError('Prize');
    const redraws = await this.draws.redrawsOf(drawingId);
    const won = new Set([
      ...(await this.draws.winningTickets(drawingId)).map((ticket) => ticket.userId),
      ...redraws.map((redraw) => redraw.userId),
    ]);
    const key = drawKey(drawing.seed, drawing.beaconValue, drawing.ticketsHash);
    const { winners, nextCounter } = await drawWinners(
      key,
      this.source(drawingId, drawing.totalTickets),
      [prize.rank],
      drawing.drawCounter,
      won,
    );
    const winner = winners[0];
    if (!winner) return null;
    if (!(await this.draws.advanceCounter(drawingId, drawing.drawCounter, nextCounter))) {
      throw new ConflictError('Another re-draw of this drawing is in progress; try again');
    }
    await this.draws.saveRedraw({
      drawingId,
      sequence: redraws.length + 1,
      prizeRank: prize.rank,
      ticketNumber: winner.ticketNumber,
      userId: winner.userId,
      replacesTicket,
    });
    const fulfillment = await this.awardTicket(drawingId, winner.ticketNumber, prize);
    await this.winnersAwarded.publish({ drawingId, fulfillmentIds: [fulfillment.id] });
    return fulfillment;
  }

  /** Marks a winning ticket and opens its fulfillment: digital prizes are delivered by email at once. */
  private async awardTicket(
    drawingId: string,
    ticketNumber: number,
    prize: Prize,
  ): Promise<PrizeFulfillment> {
    const now = this.clock.now();
    const ticket = await this.tickets.ownerOf(drawingId, ticketNumber);
    const digital = prize.fulfillmentType === 'digital';
    return this.draws.award(ticket, prize, {
      status: digital ? 'delivered' : 'winner_notified',
      notifiedAt: now,
      deliveredAt: digital ? now : null,
    });
  }

  /** One scheduler tick: opens, closes and executes whatever is due. Each step is safe to race. */
  async tick(): Promise<void> {
    for (const drawing of await this.draws.due(this.clock.now())) {
      try {
        if (drawing.status === 'scheduled') await this.transition(drawing.id, 'open', SYSTEM_PRINCIPAL);
        else if (drawing.status === 'open') await this.transition(drawing.id, 'closed', SYSTEM_PRINCIPAL);
        else await this.execute(drawing.id, SYSTEM_PRINCIPAL);
      } catch (error) {
        // A beacon round not out yet is the normal wait: the next tick tries again.
        if (error instanceof BeaconNotAvailableError)
          this.logger.log(`Drawing ${drawing.id}: ${error.detail}`);
        else this.logger.error(`Scheduler step for drawing ${drawing.id} failed: ${String(error)}`);
      }
    }
  }

  /** Everything an outsider needs to recompute the winners (fair-draw.md, What the API publishes). */
  async verification(id: string): Promise<Verification> {
    const drawing = await this.getPublished(id);
    const completed = drawing.status === 'completed';
    const winners = completed ? await this.draws.winningTickets(id) : [];
    const redraws = await this.draws.redrawsOf(id);
    const replaced = new Set(redraws.map((r) => r.ticketNumber));
    return {
      drawing_id: drawing.id,
      status: drawing.status,
      algorithm: DRAW_ALGORITHM,
      seed_commitment: drawing.seedCommitment,
      seed: completed ? drawing.seed : null,
      beacon: drawing.beaconRound
        ? {
            source: 'drand',
            chain_hash: drawing.beaconChainHash ?? '',
            round: Number(drawing.beaconRound),
            randomness: completed ? drawing.beaconValue : null,
            signature: completed ? drawing.beaconSignature : null,
          }
        : null,
      tickets_hash: drawing.ticketsHash,
      total_tickets: drawing.totalTickets,
      prize_ranks: (await this.draws.prizesOf(id)).length,
      winners: winners
        .filter((ticket) => !replaced.has(ticket.ticketNumber))
        .map((ticket) => ({
          prize_rank: ticket.prize!.rank,
          ticket_number: ticket.ticketNumber,
          user_id: ticket.userId,
        }))
        .sort((a, b) => a.prize_rank - b.prize_rank),
      redraws: redraws.map((r) => ({
        prize_rank: r.prizeRank,
        ticket_number: r.ticketNumber,
        user_id: r.userId,
        replaces_ticket: r.replacesTicket,
      })),
      ticket_list: `/api/v1/drawings/${drawing.id}/ticket-list`,
    };
  }

  /** The winners as a player sees them (re-draws applied), with the verification block; 409 before the draw. */
  async results(id: string, caller: Caller): Promise<DrawingResults> {
    const drawing = await this.getPublished(id);
    if (drawing.status !== 'completed') throw new ConflictError('Drawing not completed');
    const verification = await this.verification(id);
    // Each rank's current winner: the initial one, or its latest re-draw.
    const byRank = new Map(verification.winners.map((w) => [w.prize_rank, w]));
    for (const redraw of verification.redraws) byRank.set(redraw.prize_rank, redraw);
    const current = [...byRank.values()].sort((a, b) => a.prize_rank - b.prize_rank);
    const names = await this.users.displayNames(current.map((w) => w.user_id));
    const prizes = new Map((await this.draws.prizesOf(id)).map((prize) => [prize.rank, prize.name]));
    const me = userIdOf(caller);
    return {
      drawing_id: drawing.id,
      status: drawing.status,
      completed_at: drawing.completedAt ? new Date(drawing.completedAt).toISOString() : null,
      total_tickets: drawing.totalTickets,
      you_won: current.some((w) => w.user_id === me),
      winners: current.map((w) => ({
        prize_rank: w.prize_rank,
        prize_name: prizes.get(w.prize_rank) ?? '',
        user_id: w.user_id,
        display_name: names.get(w.user_id) ?? null,
        ticket_number: w.ticket_number,
      })),
      verification,
    };
  }

  /**
   * Recomputes a completed drawing from what it published (npm run cli -- verify-drawing): the seed against
   * its commitment, the beacon round against the pinned chain, the ticket list (streamed) against
   * tickets_hash and its count, then the winners and re-draws by fair-draw.md. Every check is reported.
   */
  async recheck(id: string): Promise<Array<{ check: string; ok: boolean; detail: string }>> {
    const v = await this.verification(id);
    const checks: Array<{ check: string; ok: boolean; detail: string }> = [];
    const add = (check: string, ok: boolean, detail: string) => checks.push({ check, ok, detail });
    if (v.status !== 'completed' || !v.seed || !v.tickets_hash) {
      add('completed', false, `the drawing is ${v.status}: nothing to verify yet`);
      return checks;
    }
    add(
      'seed',
      sha256Hex(Buffer.from(v.seed, 'hex')) === v.seed_commitment,
      `commitment ${v.seed_commitment}`,
    );
    if (v.beacon) {
      const ok =
        !!v.beacon.randomness &&
        !!v.beacon.signature &&
        v.beacon.chain_hash === this.beacon.chain.chainHash &&
        (await verifyRound(
          this.beacon.chain,
          { round: v.beacon.round, randomness: v.beacon.randomness, signature: v.beacon.signature },
          v.beacon.round,
        ));
      add('beacon', ok, `round ${v.beacon.round} of chain ${v.beacon.chain_hash}`);
    }
    const hasher = new TicketsHasher();
    await this.draws.forEachTicket(id, (ticketNumber, userId) => hasher.add(ticketNumber, userId));
    add(
      'tickets_hash',
      hasher.digestHex() === v.tickets_hash && hasher.count === v.total_tickets,
      `${hasher.count} tickets listed, ${v.total_tickets} published`,
    );
    const key = drawKey(v.seed, v.beacon?.randomness ?? null, v.tickets_hash);
    const ranks = Array.from({ length: v.prize_ranks }, (_, i) => i + 1);
    const source = this.source(id, v.total_tickets);
    const drawn = await drawWinners(key, source, ranks);
    const initial = v.winners.map((w) => `${w.prize_rank}:${w.ticket_number}`);
    const expected = drawn.winners.map((w) => `${w.prizeRank}:${w.ticketNumber}`);
    add('winners', expected.join(',') === initial.join(','), `recomputed ${expected.join(', ') || 'none'}`);
    let counter = drawn.nextCounter;
    const won = new Set(drawn.winners.map((w) => w.userId));
    for (const redraw of v.redraws) {
      const next = await drawWinners(key, source, [redraw.prize_rank], counter, won);
      counter = next.nextCounter;
      const got = next.winners[0];
      if (got) won.add(got.userId);
      add(
        `redraw rank ${redraw.prize_rank}`,
        got?.ticketNumber === redraw.ticket_number,
        `recomputed ticket ${got?.ticketNumber ?? 'none'}, published ${redraw.ticket_number}`,
      );
    }
    return checks;
  }

  auditLog(query: { page: number; per_page: number }) {
    return this.draws.listAudit(query);
  }

  /** The frozen list as CSV batches; only from sales close on (before, it can still change). */
  async ticketList(id: string): Promise<AsyncGenerator<string>> {
    const drawing = await this.getPublished(id);
    if (!drawing.ticketsHash) throw new ConflictError('The ticket list is published at sales close');
    return this.draws.ticketLines(id);
  }

  /** Streams the list once into its hash and publishes it (inside the closing unit of work). */
  private async freezeTicketList(id: string): Promise<void> {
    const hasher = new TicketsHasher();
    await this.draws.forEachTicket(id, (ticketNumber, userId) => hasher.add(ticketNumber, userId));
    const drawing = await this.getOrFail(id);
    if (hasher.count !== drawing.totalTickets) {
      throw new Error(`Drawing ${id}: ${hasher.count} tickets listed, total says ${drawing.totalTickets}`);
    }
    await this.draws.update(id, { ticketsHash: hasher.digestHex() });
  }

  /** The drawing's beacon round, fetched and verified against the chain pinned when it was scheduled. */
  private async beaconOf(drawing: Drawing): Promise<BeaconRound | null> {
    if (!drawing.beaconRound) return null;
    if (drawing.beaconChainHash !== this.beacon.chain.chainHash) {
      throw new ServiceUnavailableError(
        `Drawing ${drawing.id} was scheduled on beacon chain ${drawing.beaconChainHash}, not the configured one`,
      );
    }
    return this.beacon.fetch(Number(drawing.beaconRound));
  }

  private source(drawingId: string, total: number): TicketSource {
    return {
      total,
      ownerOf: async (ticketNumber) => (await this.tickets.ownerOf(drawingId, ticketNumber)).userId,
      countExcluding: (owners) => this.tickets.countExcluding(drawingId, [...owners]),
    };
  }

  private async ledgerEntry(purchaseId: string) {
    const entry = await this.tickets.spendEntry(purchaseId);
    if (!entry) throw new Error(`Purchase ${purchaseId} has no ledger entry`);
    return entry;
  }

  /** Appends an admin (or system) action to the audit log, in the caller's unit of work. */
  async audited(
    caller: Caller,
    action: string,
    before: Drawing | null,
    after: Drawing | object,
  ): Promise<void> {
    const entity = (before ?? after) as Drawing;
    await this.auditTrail.record(
      caller,
      action,
      { type: 'drawing', id: entity.id },
      before ? snapshot(before) : null,
      'drawingType' in after ? snapshot(after as Drawing) : (after as Record<string, unknown>),
    );
  }

  private async getOrFail(id: string): Promise<Drawing> {
    const drawing = await this.tickets.findDrawing(id);
    if (!drawing) throw new NotFoundError('Drawing');
    return drawing;
  }

  /** Public reads: drafts do not exist for the public. */
  private async getPublished(id: string): Promise<Drawing> {
    const drawing = await this.tickets.findDrawing(id);
    if (!drawing || drawing.status === 'draft') throw new NotFoundError('Drawing');
    return drawing;
  }
}
