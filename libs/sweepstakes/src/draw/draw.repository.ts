import { Injectable } from '@nestjs/common';
import { In, IsNull, LessThanOrEqual } from 'typeorm';
import { BaseRepository, DataContext } from '@fittrack/core';
// Type only: fulfillment depends on this library, so the entity is named here, never imported at runtime.
import type { PrizeFulfillment } from '@fittrack/fulfillment';
import { Drawing, type DrawingStatus } from '../entities/drawing.entity';
import { DrawingSeed } from '../entities/drawing-seed.entity';
import { DrawingRedraw } from '../entities/drawing-redraw.entity';
import { AuditLogEntry } from '../entities/audit-log-entry.entity';
import { Prize } from '../entities/prize.entity';
import { Ticket } from '../entities/ticket.entity';

/** Tickets read per query when streaming a list: memory stays flat however many a drawing has. */
const BATCH = 10_000;

/**
 * The SQL of the drawing lifecycle: status changes as conditional updates on the expected state (two
 * schedulers or admins at once: one wins), the secret seed, the frozen ticket list, the draw's writes, the
 * re-draws and the audit log.
 */
@Injectable()
export class DrawRepository extends BaseRepository<Drawing> {
  protected readonly entityName = 'Drawing';

  constructor(data: DataContext) {
    super(data, Drawing);
  }

  /** Moves the drawing from one of `from` to `to` (plus `set`); false when it was not in `from`. */
  async transition(
    id: string,
    from: readonly DrawingStatus[],
    to: DrawingStatus,
    set: Partial<Drawing> = {},
    extra?: string,
  ): Promise<boolean> {
    const qb = this.manager
      .createQueryBuilder()
      .update(Drawing)
      .set({ ...set, status: to } as never)
      .where('id = :id AND status IN (:...from)', { id, from: [...from] });
    if (extra) qb.andWhere(extra);
    return (await qb.execute()).affected === 1;
  }

  saveSeed(drawingId: string, seed: string): Promise<DrawingSeed> {
    const repository = this.manager.getRepository(DrawingSeed);
    return repository.save(repository.create({ drawingId, seed }));
  }

  async readSeed(drawingId: string): Promise<string | null> {
    return (await this.manager.getRepository(DrawingSeed).findOneBy({ drawingId }))?.seed ?? null;
  }

  /** Calls `each` for every ticket in ascending number, a batch at a time. */
  async forEachTicket(
    drawingId: string,
    each: (ticketNumber: number, userId: string) => void,
  ): Promise<void> {
    for await (const rows of this.ticketBatches(drawingId)) {
      for (const row of rows) each(row.ticketNumber, row.userId);
    }
  }

  /** Batches of `ticket_number,user_id` lines, for a streamed CSV response. */
  async *ticketLines(drawingId: string): AsyncGenerator<string> {
    for await (const rows of this.ticketBatches(drawingId)) {
      yield rows.map((row) => `${row.ticketNumber},${row.userId}\n`).join('');
    }
  }

  /**
   * The ticket list in ascending number, BATCH rows a query: keyset pages on the (drawing, number) unique
   * index, never OFFSET, and raw rows of the two columns: hydrating a million entities took most of a
   * close's time and memory.
   */
  private async *ticketBatches(
    drawingId: string,
  ): AsyncGenerator<Array<{ ticketNumber: number; userId: string }>> {
    for (let after = 0; ;) {
      const rows = await this.manager
        .getRepository(Ticket)
        .createQueryBuilder('t')
        .select('t.ticketNumber', 'ticketNumber')
        .addSelect('t.userId', 'userId')
        .where('t.drawingId = :drawingId AND t.ticketNumber > :after', { drawingId, after })
        .orderBy('t.ticketNumber', 'ASC')
        .limit(BATCH)
        .getRawMany<{ ticketNumber: number | string; userId: string }>();
      // Numbers as numbers whatever the driver returns (a string from some).
      const batch = rows.map((row) => ({ ticketNumber: Number(row.ticketNumber), userId: row.userId }));
      if (batch.length) yield batch;
      if (batch.length < BATCH) return;
      after = batch[batch.length - 1].ticketNumber;
    }
  }

  prizesOf(drawingId: string): Promise<Prize[]> {
    return this.manager.getRepository(Prize).find({ where: { drawingId }, order: { rank: 'ASC' } });
  }

  /** Marks a winning ticket and opens its fulfillment. */
  async award(
    ticket: Ticket,
    prize: Prize,
    fulfillment: Partial<PrizeFulfillment>,
  ): Promise<PrizeFulfillment> {
    await this.manager.getRepository(Ticket).update({ id: ticket.id }, { isWinner: true, prizeId: prize.id });
    const repository = this.manager.getRepository<PrizeFulfillment>('PrizeFulfillment');
    return repository.save(
      repository.create({ ticketId: ticket.id, prizeId: prize.id, userId: ticket.userId, ...fulfillment }),
    );
  }

  /** Winning tickets of a drawing with their prize, by rank. */
  winningTickets(drawingId: string): Promise<Ticket[]> {
    return this.manager.getRepository(Ticket).find({
      where: { drawingId, isWinner: true },
      relations: { prize: true },
      order: { ticketNumber: 'ASC' },
    });
  }

  /** Moves the drawing's draw counter on, only from the value the caller drew from (one re-draw at a time). */
  async advanceCounter(drawingId: string, from: number, to: number): Promise<boolean> {
    const result = await this.manager
      .createQueryBuilder()
      .update(Drawing)
      .set({ drawCounter: to })
      .where('id = :drawingId AND draw_counter = :from', { drawingId, from })
      .execute();
    return result.affected === 1;
  }

  async saveRedraw(redraw: Partial<DrawingRedraw>): Promise<DrawingRedraw> {
    const repository = this.manager.getRepository(DrawingRedraw);
    return repository.save(repository.create(redraw));
  }

  redrawsOf(drawingId: string): Promise<DrawingRedraw[]> {
    return this.manager
      .getRepository(DrawingRedraw)
      .find({ where: { drawingId }, order: { sequence: 'ASC' } });
  }

  /** Drawings whose next step is due at `now`, for the scheduler tick. */
  due(now: Date): Promise<Drawing[]> {
    return this.manager.getRepository(Drawing).find({
      where: [
        { status: 'scheduled', opensAt: LessThanOrEqual(now) },
        { status: 'open', ticketSalesClose: LessThanOrEqual(now) },
        { status: 'closed', drawingTime: LessThanOrEqual(now), completedAt: IsNull() },
      ],
      order: { drawingTime: 'ASC' },
      take: 500,
    });
  }

  /** Drawings past their drawing time that are neither drawn nor cancelled (drafts were never scheduled). */
  countOverdue(now: Date): Promise<number> {
    return this.manager.getRepository(Drawing).countBy({
      status: In(['scheduled', 'open', 'closed']),
      drawingTime: LessThanOrEqual(now),
    });
  }

  /** Appends one entry to the audit log (never updated or deleted). */
  async audit(entry: Partial<AuditLogEntry>): Promise<void> {
    const repository = this.manager.getRepository(AuditLogEntry);
    await repository.save(repository.create(entry));
  }

  listAudit(request: { page: number; per_page: number }, entityId?: string) {
    return this.manager.getRepository(AuditLogEntry).findAndCount({
      where: entityId ? { entityId } : {},
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: (request.page - 1) * request.per_page,
      take: request.per_page,
    });
  }
}
