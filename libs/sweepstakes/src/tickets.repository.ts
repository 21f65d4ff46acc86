import { Injectable } from '@nestjs/common';
import { Not, In } from 'typeorm';
import { PointTransaction } from '@fittrack/points';
import { BaseRepository, chunk, DataContext, LIST_ALIAS, rowLock } from '@fittrack/core';
import { Drawing } from './entities/drawing.entity';
import { Ticket } from './entities/ticket.entity';

/** Tickets, their numbering and the drawing's running total (all SQL of ticket sales and the draw). */
@Injectable()
export class TicketsRepository extends BaseRepository<Ticket> {
  protected readonly entityName = 'Ticket';

  constructor(data: DataContext) {
    super(data, Ticket, {
      filters: { drawing_id: 'drawingId', user_id: 'userId', is_winner: 'isWinner' },
      sorts: { created_at: 'createdAt', ticket_number: 'ticketNumber' },
      defaultSort: '-created_at',
    });
  }

  /**
   * The drawing row, locked for the rest of the unit of work (a plain keyed SELECT … FOR UPDATE: Oracle
   * refuses FOR UPDATE with FETCH FIRST). Purchases serialise on it to number tickets without gaps; the
   * ledger's user lock is always taken before it.
   */
  lockDrawing(drawingId: string): Promise<Drawing | null> {
    const qb = this.manager.getRepository(Drawing).createQueryBuilder('d').where('d.id = :drawingId', {
      drawingId,
    });
    const lock = rowLock();
    if (lock) qb.setLock(lock);
    return qb.getOne();
  }

  /** The drawing row without its prizes and without a lock (checks before the unit of work). */
  findDrawing(drawingId: string): Promise<Drawing | null> {
    return this.manager.getRepository(Drawing).findOneBy({ id: drawingId });
  }

  /** Adds `count` to the total only if the drawing is still open with the total the caller numbered from. */
  async addToTotal(drawingId: string, expectedTotal: number, count: number): Promise<boolean> {
    const result = await this.manager
      .createQueryBuilder()
      .update(Drawing)
      .set({ totalTickets: () => `total_tickets + ${Number(count)}` })
      .where('id = :drawingId AND status = :open AND total_tickets = :expectedTotal', {
        drawingId,
        open: 'open',
        expectedTotal,
      })
      .execute();
    return result.affected === 1;
  }

  /**
   * Inserts new tickets as they are (a plain INSERT, not `save`: no existence checks or relation
   * bookkeeping while the caller holds the drawing row every buyer waits on). Ids and times are set on
   * the returned entities by their insert listeners.
   */
  async insertMany(rows: Array<Partial<Ticket>>): Promise<Ticket[]> {
    const tickets = rows.map((row) =>
      this.manager.create(Ticket, { isWinner: false, prizeId: null, isFree: false, ...row }),
    );
    for (const part of chunk(tickets, 100)) {
      await this.repository.createQueryBuilder().insert().values(part).updateEntity(false).execute();
    }
    return tickets;
  }

  countForUser(drawingId: string, userId: string): Promise<number> {
    return this.repository.countBy({ drawingId, userId });
  }

  hasFreeEntry(drawingId: string, userId: string): Promise<boolean> {
    return this.repository.existsBy({ drawingId, userId, isFree: true });
  }

  byPurchase(purchaseTransactionId: string): Promise<Ticket[]> {
    return this.repository.find({ where: { purchaseTransactionId }, order: { ticketNumber: 'ASC' } });
  }

  /** The distinct paid purchases of a drawing (the spend entries a cancellation refunds). */
  async purchasesOf(drawingId: string): Promise<string[]> {
    const rows = await this.repository
      .createQueryBuilder('t')
      .select('DISTINCT t.purchaseTransactionId', 'id')
      .where('t.drawingId = :drawingId AND t.purchaseTransactionId IS NOT NULL', { drawingId })
      .getRawMany<{ id: string }>();
    return rows.map((row) => row.id);
  }

  /** The ledger entry a purchase posted under this idempotency key (a retried purchase's first result). */
  spendByKey(idempotencyKey: string): Promise<PointTransaction | null> {
    return this.manager.getRepository(PointTransaction).findOneBy({ idempotencyKey });
  }

  /** The ledger entry that paid for a purchase. */
  spendEntry(purchaseTransactionId: string): Promise<PointTransaction | null> {
    return this.manager.getRepository(PointTransaction).findOneBy({ id: purchaseTransactionId });
  }

  /** The owner of ticket `ticketNumber` (the draw looks up candidates one by one). */
  async ownerOf(drawingId: string, ticketNumber: number): Promise<Ticket> {
    return this.repository.findOneByOrFail({ drawingId, ticketNumber });
  }

  /** Tickets of the drawing owned by none of `owners` (at most one per prize rank, so a short IN list). */
  countExcluding(drawingId: string, owners: readonly string[]): Promise<number> {
    return this.repository.countBy({
      drawingId,
      ...(owners.length ? { userId: Not(In([...owners])) } : {}),
    });
  }

  /** Own tickets across drawings with the drawing's name and status. */
  async listForUser(
    request: Parameters<BaseRepository<Ticket>['list']>[0],
    userId: string,
  ): Promise<{ page: Awaited<ReturnType<BaseRepository<Ticket>['list']>>; drawings: Map<string, Drawing> }> {
    const page = await this.list(request, (qb) =>
      qb.andWhere(`${LIST_ALIAS}.userId = :owner`, { owner: userId }),
    );
    const ids = [...new Set(page.data.map((ticket) => ticket.drawingId))];
    const drawings = ids.length
      ? await this.manager.getRepository(Drawing).find({ where: { id: In(ids) }, withDeleted: true })
      : [];
    return { page, drawings: new Map(drawings.map((drawing) => [drawing.id, drawing])) };
  }
}
