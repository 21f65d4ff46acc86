import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Not, In } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { PointTransaction } from '@fittrack/points';
import { User } from '@fittrack/users';
import {
  BaseRepository,
  chunk,
  currentDbType,
  DataContext,
  hydrated,
  LIST_ALIAS,
  numberedInsertSql,
} from '@fittrack/core';
import { Drawing } from './entities/drawing.entity';
import { Ticket } from './entities/ticket.entity';

const ENTRY_DRAWING = [
  'id',
  'name',
  'drawingType',
  'status',
  'ticketCostPoints',
  'opensAt',
  'ticketSalesClose',
  'eligibility',
] as const;
const ENTRY_USER = ['createdAt', 'role'] as const;

/** The drawing's fields a purchase or free entry checks and charges by. */
export type EntryDrawing = Pick<Drawing, (typeof ENTRY_DRAWING)[number]>;
/** The entrant's fields the eligibility rules read. */
export type EntryUser = Pick<User, (typeof ENTRY_USER)[number]>;
/** Tickets to issue to one user: paid by `purchaseTransactionId`, or free (null). */
export interface IssueEntry {
  userId: string;
  quantity: number;
  purchaseTransactionId: string | null;
}

export interface Entry {
  drawing: EntryDrawing;
  /** By user id. */
  users: Map<string, EntryUser>;
}

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
   * What purchases or a free entry check before they pay, in one read: the drawing's sales fields (null
   * when it is absent or deleted) and the entrants' accounts (absent or deleted ones missing). One statement
   * with cached SQL and column-wise hydration, since every turn of a drawing's sales reads it. `userIds` is
   * a turn's buyers: a short list.
   */
  async entryOf(drawingId: string, userIds: readonly string[]): Promise<Entry | null> {
    const read = (this.entryRead ??= this.buildEntryRead());
    const driver = this.manager.connection.driver;
    const ids = [...new Set(userIds)];
    const values = { drawingId, ...Object.fromEntries(ids.map((id, i) => [`u${i}`, id])) };
    const rows = await this.manager.query<Array<Record<string, unknown>>>(
      ...driver.escapeQueryWithParameters(read.sql(ids.length), values),
    );
    if (!rows.length) return null;
    const drawing = hydrated(driver, read.drawing, rows[0], {} as EntryDrawing, 'd_');
    const users = new Map(
      rows
        .filter((row) => row.u_id != null)
        .map((row) => [String(row.u_id), hydrated(driver, read.user, row, {} as EntryUser, 'u_')]),
    );
    return { drawing, users };
  }

  private entryRead?: ReturnType<TicketsRepository['buildEntryRead']>;

  private buildEntryRead() {
    const connection = this.manager.connection;
    const pick = (target: typeof Drawing | typeof User, properties: readonly string[]) =>
      properties.map((property) => connection.getMetadata(target).findColumnWithPropertyName(property)!);
    const drawing = pick(Drawing, ENTRY_DRAWING);
    const user = pick(User, ENTRY_USER);
    const deleted = (target: typeof Drawing | typeof User) =>
      connection.getMetadata(target).deleteDateColumn!.databaseName;
    const select = (alias: string, columns: ColumnMetadata[]) =>
      columns.map((c) => `"${alias}"."${c.databaseName}" AS "${alias}_${c.databaseName}"`);
    const head =
      `SELECT ${[...select('d', drawing), ...select('u', pick(User, ['id', ...ENTRY_USER]))].join(', ')} ` +
      `FROM "${connection.getMetadata(Drawing).tableName}" "d" LEFT JOIN "${connection.getMetadata(User).tableName}" "u" ` +
      `ON "u"."${deleted(User)}" IS NULL AND "u"."id" IN `;
    const tail = ` WHERE "d"."id" = :drawingId AND "d"."${deleted(Drawing)}" IS NULL`;
    const byCount = new Map<number, string>();
    const sql = (users: number) => {
      if (!byCount.has(users)) {
        const list = Array.from({ length: Math.max(users, 1) }, (_, i) => (i < users ? `:u${i}` : 'NULL'));
        byCount.set(users, `${head}(${list.join(', ')})${tail}`);
      }
      return byCount.get(users)!;
    };
    return { sql, drawing, user };
  }

  /**
   * Numbers and inserts each entry's tickets after the drawing's total, in the entries' order, and moves
   * the total, if the drawing is open for sales at `now`; null (nothing written) if not. The entries are
   * all paid or all free (free: no purchase transaction). The drawing row stays locked until commit, so
   * purchases serialise on it and numbers stay 1..N without gaps; the ledger's user locks are taken before
   * it. PostgreSQL takes the lock, the numbers and the insert in one statement (numberedInsertSql): every
   * buyer queues on this row, so its holder should not wait for more Node turns than it must.
   */
  async issue(drawingId: string, entries: readonly IssueEntry[], now: Date): Promise<Ticket[][] | null> {
    const shape = (this.issueShape ??= this.buildIssueShape());
    const metadata = this.repository.metadata;
    const isFree = entries[0].purchaseTransactionId === null;
    const issued = entries.map(({ userId, quantity, purchaseTransactionId }) =>
      Array.from({ length: quantity }, () =>
        Object.assign(metadata.create() as Ticket, {
          id: randomUUID(),
          createdAt: now,
          drawingId,
          userId,
          ticketNumber: 0,
          purchaseTransactionId,
          isFree,
          isWinner: false,
          prizeId: null,
        }),
      ),
    );
    const tickets = issued.flat();
    const driver = this.manager.connection.driver;
    const open = { drawingId, open: 'open', now: driver.preparePersistentValue(now, shape.opensAt) };
    const sql = shape.sql(tickets.length);
    let first: number;
    if (sql) {
      const values: Record<string, unknown> = { ...open };
      tickets.forEach((ticket, i) =>
        shape.varying.forEach((c, j) => (values[`v${i}_${j}`] = c.getEntityValue(ticket))),
      );
      shape.shared.forEach(
        (c, j) => (values[`s${j}`] = driver.preparePersistentValue(c.getEntityValue(tickets[0]), c)),
      );
      const rows = await this.manager.query<Array<Record<string, number | string>>>(
        ...driver.escapeQueryWithParameters(sql, values),
      );
      if (!rows.length) return null;
      first = Math.min(...rows.map((row) => Number(row[shape.number])));
    } else {
      // The update first (it takes the lock and checks the window), then the total read back: no
      // SELECT … FOR UPDATE before it. The subscriber stamps updated_at from the clock; TypeORM the version.
      const moved = await this.manager
        .createQueryBuilder()
        .update(Drawing)
        .set({ totalTickets: () => `${shape.quoted('totalTickets')} + ${tickets.length}` })
        .where(shape.where, open)
        .execute();
      if (moved.affected !== 1) return null;
      const { totalTickets } = await this.manager
        .getRepository(Drawing)
        .findOneOrFail({ where: { id: drawingId }, select: { id: true, totalTickets: true } });
      first = totalTickets - tickets.length + 1;
    }
    tickets.forEach((ticket, i) => (ticket.ticketNumber = first + i));
    if (!sql) await this.insertMany(tickets);
    return issued;
  }

  private issueShape?: ReturnType<TicketsRepository['buildIssueShape']>;

  /** The numbering SQL of each ticket count (built once: every purchase runs it), and what it binds. */
  private buildIssueShape() {
    const connection = this.manager.connection;
    const drawings = connection.getMetadata(Drawing);
    const metadata = this.repository.metadata;
    const column = (property: string) => drawings.findColumnWithPropertyName(property)!;
    const ticketColumns = (properties: string[]) =>
      properties.map((property) => metadata.findColumnWithPropertyName(property)!);
    const quoted = (property: string) => `"${column(property).databaseName}"`;
    const where =
      `${quoted('id')} = :drawingId AND ${quoted('status')} = :open AND ${quoted('deletedAt')} IS NULL ` +
      `AND ${quoted('opensAt')} <= :now AND ${quoted('ticketSalesClose')} > :now`;
    const varying = ticketColumns(['id', 'userId', 'purchaseTransactionId']);
    const shared = ticketColumns(['createdAt', 'drawingId', 'isFree', 'isWinner', 'prizeId']);
    const [number] = ticketColumns(['ticketNumber']);
    const sqlByRows = new Map<number, string | null>();
    const sql = (rows: number): string | null => {
      if (!sqlByRows.has(rows)) {
        sqlByRows.set(
          rows,
          numberedInsertSql(currentDbType(), {
            counter: {
              table: drawings.tableName,
              column: column('totalTickets').databaseName,
              set: `${quoted('updatedAt')} = :now, ${quoted('version')} = ${quoted('version')} + 1`,
              where,
            },
            table: metadata.tableName,
            varying: varying.map((c) => c.databaseName),
            shared: shared.map((c) => c.databaseName),
            number: number.databaseName,
            rows,
          }),
        );
      }
      return sqlByRows.get(rows)!;
    };
    return { sql, where, quoted, varying, shared, opensAt: column('opensAt'), number: number.databaseName };
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

  /** How many tickets of the drawing each of `userIds` holds (absent: none), in one query per 1,000 users. */
  async countsFor(drawingId: string, userIds: readonly string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const users of chunk([...new Set(userIds)])) {
      const rows = await this.repository
        .createQueryBuilder('t')
        .select('t.userId', 'userId')
        .addSelect('COUNT(*)', 'mine')
        .where('t.drawingId = :drawingId AND t.userId IN (:...users)', { drawingId, users })
        .groupBy('t.userId')
        .getRawMany<{ userId: string; mine: number | string }>();
      for (const row of rows) counts.set(row.userId, Number(row.mine));
    }
    return counts;
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
