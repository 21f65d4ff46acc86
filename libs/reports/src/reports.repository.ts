import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { EmailOutbox } from '@fittrack/notifications';
import { PointTransaction, RULES } from '@fittrack/points';
import { PrizeFulfillment } from '@fittrack/fulfillment';
import { Drawing, Prize, Sponsor, Ticket } from '@fittrack/sweepstakes';
import { Activity, TrackerConnection } from '@fittrack/trackers';
import { Profile, User } from '@fittrack/users';

export const COUNTED_ENTITIES = {
  users: User,
  profiles: Profile,
  tracker_connections: TrackerConnection,
  activities: Activity,
  point_transactions: PointTransaction,
  drawings: Drawing,
  prizes: Prize,
  tickets: Ticket,
  prize_fulfillments: PrizeFulfillment,
  sponsors: Sponsor,
  email_outbox: EmailOutbox,
} satisfies Record<string, EntityTarget<ObjectLiteral>>;
export type CountedEntity = keyof typeof COUNTED_ENTITIES;

export interface IntegrityCheckSpec {
  name: string;
  details: string;
  /** Rows violating the check; zero passes. */
  query: (ds: DataSource) => SelectQueryBuilder<ObjectLiteral>;
}

/** Children whose parent row does not exist (what a missing or disabled FK would let through). */
type EntityClass = new () => ObjectLiteral;

const orphans = (
  name: string,
  child: EntityClass,
  fk: string,
  parent: EntityClass,
  details: string,
): IntegrityCheckSpec => ({
  name,
  details,
  query: (ds) =>
    ds
      .createQueryBuilder(child, 'c')
      .withDeleted()
      .leftJoin(parent, 'p', `p.id = c.${fk}`)
      .where(`c.${fk} IS NOT NULL`)
      .andWhere('p.id IS NULL'),
});

/**
 * The report's integrity checks. Soft-deleted parents are not orphans: a deleted user's activities and
 * ledger are history, kept on purpose. Live children of a deleted parent are flagged where they would
 * still act (a connection that keeps syncing, a ticket in a deleted drawing).
 */
export const INTEGRITY_CHECKS: IntegrityCheckSpec[] = [
  orphans('orphan_profiles', Profile, 'userId', User, 'profiles whose user does not exist'),
  orphans('orphan_activities', Activity, 'userId', User, 'activities whose user does not exist'),
  orphans(
    'orphan_point_transactions',
    PointTransaction,
    'userId',
    User,
    'ledger rows whose user does not exist',
  ),
  orphans('orphan_tickets_drawing', Ticket, 'drawingId', Drawing, 'tickets whose drawing does not exist'),
  orphans('orphan_tickets_user', Ticket, 'userId', User, 'tickets whose user does not exist'),
  orphans(
    'orphan_tickets_purchase',
    Ticket,
    'purchaseTransactionId',
    PointTransaction,
    'tickets without their purchase',
  ),
  orphans('orphan_prizes', Prize, 'drawingId', Drawing, 'prizes whose drawing does not exist'),
  orphans(
    'orphan_fulfillments_ticket',
    PrizeFulfillment,
    'ticketId',
    Ticket,
    'fulfillments whose ticket does not exist',
  ),
  orphans(
    'orphan_fulfillments_prize',
    PrizeFulfillment,
    'prizeId',
    Prize,
    'fulfillments whose prize does not exist',
  ),
  {
    name: 'live_connections_of_deleted_users',
    details: 'tracker connections still live although their user is deleted or missing',
    query: (ds) =>
      ds
        .createQueryBuilder(TrackerConnection, 'c')
        .leftJoin(User, 'u', 'u.id = c.userId AND u.deletedAt IS NULL')
        .where('u.id IS NULL'),
  },
  {
    name: 'ledger_sum_matches_balance',
    details: 'users whose point_balance differs from the sum of their ledger amounts',
    query: (ds) =>
      ds
        .createQueryBuilder(User, 'u')
        .withDeleted()
        .where(
          (qb) =>
            `u.pointBalance <> COALESCE(${qb
              .subQuery()
              .select('SUM(t.amount)')
              .from(PointTransaction, 't')
              .where('t.userId = u.id')
              .getQuery()}, 0)`,
        ),
  },
  {
    name: 'latest_balance_after_matches_balance',
    details:
      'users whose point_balance differs from the balance_after of their last ledger entry (by sequence)',
    query: (ds) =>
      ds
        .createQueryBuilder(User, 'u')
        .withDeleted()
        .innerJoin(PointTransaction, 't', 't.userId = u.id')
        .where(
          (qb) =>
            `t.sequence = ${qb.subQuery().select('MAX(m.sequence)').from(PointTransaction, 'm').where('m.userId = u.id').getQuery()}`,
        )
        .andWhere('t.balanceAfter <> u.pointBalance'),
  },
  {
    name: 'ledger_sequence_contiguous',
    details: 'users whose ledger sequence is not exactly 1, 2, …, n (n = their number of entries)',
    // Sequences are unique per user (index), so starting at 1 with the maximum equal to the count is 1..n.
    query: (ds) =>
      ds
        .createQueryBuilder(User, 'u')
        .withDeleted()
        .where(
          (qb) =>
            `${qb.subQuery().select('COUNT(*)').from(PointTransaction, 'c').where('c.userId = u.id').getQuery()} <> ` +
            `COALESCE(${qb.subQuery().select('MAX(x.sequence)').from(PointTransaction, 'x').where('x.userId = u.id').getQuery()}, 0)`,
        )
        .orWhere(
          (qb) =>
            `EXISTS ${qb.subQuery().select('1').from(PointTransaction, 'n').where('n.userId = u.id').andWhere('n.sequence < 1').getQuery()}`,
        ),
  },
  {
    name: 'ledger_balance_after_chains',
    details: "ledger entries whose balance_after is not the previous entry's balance_after plus their amount",
    query: (ds) =>
      ds
        .createQueryBuilder(PointTransaction, 't')
        .leftJoin(PointTransaction, 'p', 'p.userId = t.userId AND p.sequence = t.sequence - 1')
        .where('t.balanceAfter <> COALESCE(p.balanceAfter, 0) + t.amount'),
  },
  {
    name: 'daily_cap_respected',
    details: `users who earned more than ${RULES.DAILY_CAP} points on one day`,
    query: (ds) =>
      ds
        .createQueryBuilder(User, 'u')
        .withDeleted()
        .where(
          (qb) =>
            `EXISTS ${qb
              .subQuery()
              .select('e.earnedOn')
              .from(PointTransaction, 'e')
              .where('e.userId = u.id')
              .andWhere('e.earnedOn IS NOT NULL')
              .groupBy('e.earnedOn')
              .having('SUM(e.amount) > :cap')
              .getQuery()}`,
        )
        .setParameter('cap', RULES.DAILY_CAP),
  },
  {
    name: 'no_negative_balances',
    details: 'users with a negative point_balance, or ledger rows with a negative balance_after',
    query: (ds) =>
      ds
        .createQueryBuilder(User, 'u')
        .withDeleted()
        .where('u.pointBalance < 0')
        .orWhere(
          (qb) =>
            `EXISTS ${qb.subQuery().select('1').from(PointTransaction, 't').where('t.userId = u.id').andWhere('t.balanceAfter < 0').getQuery()}`,
        ),
  },
  {
    name: 'drawing_ticket_totals',
    details: 'drawings whose total_tickets differs from their number of tickets',
    query: (ds) =>
      ds
        .createQueryBuilder(Drawing, 'd')
        .withDeleted()
        .where(
          (qb) =>
            `d.totalTickets <> ${qb.subQuery().select('COUNT(*)').from(Ticket, 'k').where('k.drawingId = d.id').getQuery()}`,
        ),
  },
];

type Tally = Record<string, number>;

/** Every figure the summary shows, as SQL aggregates (no rows are loaded). */
@Injectable()
export class ReportsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Live rows per entity (soft-deleted rows excluded). */
  async counts(): Promise<Record<CountedEntity, number>> {
    const entries = await Promise.all(
      Object.entries(COUNTED_ENTITIES).map(
        async ([name, entity]) => [name, await this.dataSource.getRepository(entity).count()] as const,
      ),
    );
    return Object.fromEntries(entries) as Record<CountedEntity, number>;
  }

  async integrity(): Promise<Array<{ name: string; details: string; count: number }>> {
    return Promise.all(
      INTEGRITY_CHECKS.map(async (check) => ({
        name: check.name,
        details: check.details,
        count: await check.query(this.dataSource).getCount(),
      })),
    );
  }

  /** Live rows per value of one column, e.g. users by status. */
  async countBy(entity: EntityTarget<ObjectLiteral>, property: string): Promise<Tally> {
    const rows = await this.dataSource
      .createQueryBuilder(entity, 'e')
      .select(`e.${property}`, 'value')
      .addSelect('COUNT(*)', 'count')
      .groupBy(`e.${property}`)
      .getRawMany<{ value: string; count: string | number }>();
    return Object.fromEntries(rows.map((row) => [row.value, Number(row.count)]));
  }

  /** Points spent on tickets, net of refunds is not subtracted: this is gross spending. */
  async pointsSpent(): Promise<number> {
    const row = await this.dataSource
      .createQueryBuilder(PointTransaction, 't')
      .select('COALESCE(SUM(t.amount), 0)', 'total')
      .where("t.transactionType = 'spend'")
      .getRawOne<{ total: string | number }>();
    return -Number(row?.total ?? 0);
  }
}
