import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Not, In } from 'typeorm';
import { PointTransaction } from '@fittrack/points';
import {
  BaseRepository,
  chunk,
  currentDbType,
  DataContext,
  LIST_ALIAS,
  numberedInsertSql,
} from '@fittrack/core';
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

  /** The drawing row without its prizes and without a lock (checks before the unit of work). */
  findDrawing(drawingId: string): Promise<Drawing | null> {
    return this.manager.getRepository(Drawing).findOneBy({ id: drawingId });
  }

  /**
   * Numbers and inserts `quantity` tickets after the drawing's total and moves the total, if the drawing is
   * open for sales at `now`; null (nothing written) if not. The drawing row stays locked until commit, so
   * purchases serialise on it and numbers stay 1..N without gaps; the ledger's user lock is taken before
   * it. PostgreSQL takes the lock, the numbers and the insert in one statement (numberedInsertSql): every
   * buyer queues on this row, so its holder should not wait for more Node turns than it must.
   */
  async issue(
    drawingId: string,
    userId: string,
    quantity: number,
    purchaseTransactionId: string | null,
    now: Date,
  ): Promise<Ticket[] | null> {
    const tickets = Array.from({ length: quantity }, () =>
      this.manager.create(Ticket, {
        id: randomUUID(),
        createdAt: now,
        drawingId,
        userId,
        ticketNumber: 0,
        purchaseTransactionId,
        isFree: purchaseTransactionId === null,
        isWinner: false,
        prizeId: null,
      }),
    );
    const driver = this.manager.connection.driver;
    const drawings = this.manager.connection.getMetadata(Drawing);
    const column = (property: string) => drawings.findColumnWithPropertyName(property)!;
    const open = { drawingId, open: 'open', now: driver.preparePersistentValue(now, column('opensAt')) };
    const where = (name: (property: string) => string) =>
      `${name('id')} = :drawingId AND ${name('status')} = :open AND ${name('deletedAt')} IS NULL ` +
      `AND ${name('opensAt')} <= :now AND ${name('ticketSalesClose')} > :now`;
    const quoted = (property: string) => `"${column(property).databaseName}"`;
    const metadata = this.repository.metadata;
    const shared = [
      'createdAt',
      'drawingId',
      'userId',
      'purchaseTransactionId',
      'isFree',
      'isWinner',
      'prizeId',
    ].map((property) => metadata.findColumnWithPropertyName(property)!);
    const sql = numberedInsertSql(currentDbType(), {
      counter: {
        table: drawings.tableName,
        column: column('totalTickets').databaseName,
        set: `${quoted('updatedAt')} = :now, ${quoted('version')} = ${quoted('version')} + 1`,
        where: where(quoted),
      },
      table: metadata.tableName,
      key: metadata.findColumnWithPropertyName('id')!.databaseName,
      shared: shared.map((c) => c.databaseName),
      number: metadata.findColumnWithPropertyName('ticketNumber')!.databaseName,
      rows: quantity,
    });
    let first: number;
    if (sql) {
      const values = {
        ...open,
        ...Object.fromEntries(tickets.map((ticket, i) => [`k${i}`, ticket.id])),
        ...Object.fromEntries(
          shared.map((c, j) => [`s${j}`, driver.preparePersistentValue(c.getEntityValue(tickets[0]), c)]),
        ),
      };
      const rows: Array<Record<string, number>> = await this.manager.query(
        ...driver.escapeQueryWithParameters(sql, values),
      );
      if (!rows.length) return null;
      first = Math.min(...rows.map((row) => Number(Object.values(row)[0])));
    } else {
      // The update first (it takes the lock and checks the window), then the total read back: no
      // SELECT … FOR UPDATE before it. The subscriber stamps updated_at from the clock; TypeORM the version.
      const moved = await this.manager
        .createQueryBuilder()
        .update(Drawing)
        .set({ totalTickets: () => `${quoted('totalTickets')} + ${Number(quantity)}` })
        .where(where(quoted), open)
        .execute();
      if (moved.affected !== 1) return null;
      const { totalTickets } = await this.manager
        .getRepository(Drawing)
        .findOneOrFail({ where: { id: drawingId }, select: { id: true, totalTickets: true } });
      first = totalTickets - quantity + 1;
    }
    tickets.forEach((ticket, i) => (ticket.ticketNumber = first + i));
    if (!sql) await this.insertMany(tickets);
    return tickets;
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
