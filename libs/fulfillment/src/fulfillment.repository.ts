import { Injectable } from '@nestjs/common';
import { Brackets, In, IsNull, LessThanOrEqual } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { BaseRepository, DataContext } from '@fittrack/core';
import { DrawingRedraw, Prize, Ticket } from '@fittrack/sweepstakes';
import { type FulfillmentStatus, PrizeFulfillment } from './entities/prize-fulfillment.entity';

/** Deadline work per query: a large backlog is worked through by the following ticks. */
const DEADLINE_BATCH = 500;

/** Statuses whose prize the winner did not receive: they count for no report. */
export const NOT_RECEIVED: FulfillmentStatus[] = ['forfeited', 'returned_to_sponsor'];

export interface WinnerContact {
  email: string;
  displayName: string | null;
}

/** Prize fulfillments: every status change is a conditional update on the expected status. */
@Injectable()
export class FulfillmentRepository extends BaseRepository<PrizeFulfillment> {
  protected readonly entityName = 'Fulfillment';

  constructor(data: DataContext) {
    super(data, PrizeFulfillment, {
      filters: { status: 'status', user_id: 'userId' },
      sorts: { created_at: 'createdAt', notified_at: 'notifiedAt' },
      defaultSort: '-created_at',
    });
  }

  /** With its prize and the ticket's drawing, which every response shows. */
  protected override loadByIds(ids: string[]): Promise<PrizeFulfillment[]> {
    return this.repository.find({
      where: { id: In(ids) },
      relations: { prize: true, ticket: { drawing: true } },
    });
  }

  async detailed(id: string): Promise<PrizeFulfillment | null> {
    return (await this.loadByIds([id]))[0] ?? null;
  }

  /** Moves a fulfillment from one of `from` (plus `set`); false when it was no longer in `from`. */
  async move(
    id: string,
    from: readonly FulfillmentStatus[],
    set: QueryDeepPartialEntity<PrizeFulfillment>,
    extra?: string,
  ): Promise<boolean> {
    const qb = this.manager
      .createQueryBuilder()
      .update(PrizeFulfillment)
      .set(set)
      .where('id = :id AND status IN (:...from)', { id, from: [...from] });
    if (extra) qb.andWhere(extra);
    return (await qb.execute()).affected === 1;
  }

  /** The gift-card code of a digital prize (never selected otherwise). */
  async digitalCode(prizeId: string): Promise<string | null> {
    const prize = await this.manager
      .getRepository(Prize)
      .createQueryBuilder('p')
      .addSelect('p.digitalCode')
      .where('p.id = :prizeId', { prizeId })
      .getOne();
    return prize?.digitalCode ?? null;
  }

  /** The re-draw that replaced a winning ticket, if any. */
  redrawOf(drawingId: string, ticketNumber: number): Promise<DrawingRedraw | null> {
    return this.manager.getRepository(DrawingRedraw).findOneBy({ drawingId, replacesTicket: ticketNumber });
  }

  /** Notified winners without an address and without a reminder, notified at or before `before`. */
  dueReminders(before: Date): Promise<PrizeFulfillment[]> {
    return this.repository.find({
      where: { status: 'winner_notified', reminderSentAt: IsNull(), notifiedAt: LessThanOrEqual(before) },
      relations: { prize: true },
      order: { notifiedAt: 'ASC' },
      take: DEADLINE_BATCH,
    });
  }

  dueForfeits(before: Date): Promise<PrizeFulfillment[]> {
    return this.repository.find({
      where: { status: 'winner_notified', notifiedAt: LessThanOrEqual(before) },
      relations: { prize: true },
      order: { notifiedAt: 'ASC' },
      take: DEADLINE_BATCH,
    });
  }

  async contactOf(userId: string): Promise<WinnerContact> {
    const row = await this.manager
      .createQueryBuilder()
      .select('u.email', 'email')
      .addSelect('p.display_name', 'displayName')
      .from('users', 'u')
      .leftJoin('profiles', 'p', 'p.user_id = u.id')
      .where('u.id = :userId', { userId })
      .getRawOne<WinnerContact>();
    if (!row) throw new Error(`User ${userId} not found`);
    return row;
  }

  async adminEmails(): Promise<string[]> {
    const rows = await this.manager
      .createQueryBuilder()
      .select('u.email', 'email')
      .from('users', 'u')
      .where("u.role = 'admin' AND u.status <> 'suspended' AND u.deleted_at IS NULL")
      .getRawMany<{ email: string }>();
    return rows.map((row) => row.email);
  }

  /** Prizes received (or on their way) that winners won in [from, to), with prize and drawing. */
  wonBetween(from: Date, to: Date, userId?: string): Promise<PrizeFulfillment[]> {
    return this.repository
      .createQueryBuilder('f')
      .innerJoinAndSelect('f.prize', 'prize')
      .innerJoinAndSelect('f.ticket', 'ticket')
      .innerJoinAndSelect('ticket.drawing', 'drawing')
      .where('f.notified_at >= :from AND f.notified_at < :to', { from, to })
      .andWhere('f.status NOT IN (:...gone)', { gone: NOT_RECEIVED })
      .andWhere(new Brackets((qb) => (userId ? qb.where('f.user_id = :userId', { userId }) : qb)))
      .orderBy('f.notified_at', 'ASC')
      .addOrderBy('f.id', 'ASC')
      .getMany();
  }

  /** A drawing's fulfillments (winners of every rank, re-draws included). */
  ofDrawing(drawingId: string): Promise<PrizeFulfillment[]> {
    return this.repository
      .createQueryBuilder('f')
      .innerJoinAndSelect('f.prize', 'prize')
      .innerJoinAndSelect('f.ticket', 'ticket')
      .where('ticket.drawing_id = :drawingId', { drawingId })
      .orderBy('prize.rank', 'ASC')
      .addOrderBy('f.created_at', 'ASC')
      .getMany();
  }

  /** Entries of a drawing: all, and how many came through free entry. */
  async entries(drawingId: string): Promise<{ total: number; free: number }> {
    const tickets = this.manager.getRepository(Ticket);
    const [total, free] = await Promise.all([
      tickets.countBy({ drawingId }),
      tickets.countBy({ drawingId, isFree: true }),
    ]);
    return { total, free };
  }
}
