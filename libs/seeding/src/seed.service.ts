import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import {
  type AppConfig,
  Clock,
  DatabaseService,
  DataContext,
  InjectConfig,
  SecretBox,
  UnitOfWork,
  chunk,
  currentDbType,
  dialectSql,
} from '@fittrack/core';
import { PasswordHasher } from '@fittrack/auth';
import { PrizeFulfillment } from '@fittrack/fulfillment';
import { EmailOutbox } from '@fittrack/notifications';
import { LedgerService, PointTransaction } from '@fittrack/points';
import { Drawing, Prize, Sponsor, Ticket } from '@fittrack/sweepstakes';
import { Activity, IngestionService, TrackerConnection } from '@fittrack/trackers';
import { Profile, User } from '@fittrack/users';
import { DatasetGenerator, DEFAULT_SEED, type SeedPosting, SPONSOR_NAMES } from './dataset';

/** The development password of every seeded account except the configured admin (docs/seed-data.md). */
export const SEED_USER_PASSWORD = 'FitTrack-User-2026!';

export interface SeedOptions {
  users?: number;
  activities?: number;
  drawings?: number;
  randomSeed?: number;
  /** Generated times are relative to this instant; default: the start (UTC) of the clock's current day. */
  referenceTime?: Date;
}

export const SEED_ENTITIES = [
  'users',
  'profiles',
  'tracker_connections',
  'activities',
  'point_transactions',
  'sponsors',
  'drawings',
  'prizes',
  'tickets',
  'prize_fulfillments',
  'email_outbox',
] as const;
export type SeedCounts = Record<(typeof SEED_ENTITIES)[number], number>;

export interface SeedResult {
  counts: SeedCounts;
  randomSeed: number;
  referenceTime: Date;
  durationMs: number;
}

export type SeedProgress = (phase: string, done: number, total: number) => void;

/** SQLite allows 32,766 bound variables per statement; Oracle and PostgreSQL more. Stay under both. */
const MAX_BINDS = 30_000;
/** TypeORM's parameter bookkeeping grows faster than linearly with a statement's size: keep them small. */
const MAX_ROWS = 250;
const USER_BATCH = 2000;

/**
 * Generates the deterministic demo dataset (see DatasetGenerator) and bulk inserts it in one
 * transaction, so a failed seed leaves nothing behind.
 */
@Injectable()
export class SeedService {
  private readonly logger = new Logger(SeedService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly data: DataContext,
    @InjectConfig() private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly database: DatabaseService,
    private readonly passwords: PasswordHasher,
    private readonly box: SecretBox,
    private readonly ingestion: IngestionService,
    private readonly ledger: LedgerService,
  ) {}

  async seed(options: SeedOptions = {}, progress?: SeedProgress): Promise<SeedResult> {
    const started = performance.now();
    const plan = {
      users: options.users ?? DEFAULT_SEED.users,
      activities: options.activities ?? DEFAULT_SEED.activities,
      drawings: options.drawings ?? DEFAULT_SEED.drawings,
      randomSeed: options.randomSeed ?? DEFAULT_SEED.randomSeed,
    };
    const reference = options.referenceTime ?? startOfUtcDay(this.clock.now());
    // Each distinct password is hashed once: bcrypt at cost 12 takes ~250 ms a hash.
    const [adminPasswordHash, userPasswordHash] = await Promise.all([
      this.passwords.hash(this.config.admin.password),
      this.passwords.hash(SEED_USER_PASSWORD),
    ]);
    const counts = Object.fromEntries(SEED_ENTITIES.map((name) => [name, 0])) as SeedCounts;

    await this.unitOfWork.run(async () => {
      // A bulk loader rather than a domain write: it inserts rows through the unit of work's manager.
      const manager = this.data.txHost.tx;
      const users = manager.getRepository(User);
      const offset = await users.count({ withDeleted: true });
      const adminExists = await users.exists({
        where: { email: this.config.admin.email },
        withDeleted: true,
      });
      const sponsors = await manager
        .getRepository(Sponsor)
        .find({ where: SPONSOR_NAMES.map((name) => ({ name })), withDeleted: true });
      const generator = new DatasetGenerator({
        ...plan,
        reference,
        offset,
        firstAdminEmail: adminExists ? null : this.config.admin.email,
        adminPasswordHash,
        userPasswordHash,
        excludedStates: this.config.excludedStates,
        existingSponsors: new Map(sponsors.map((s) => [s.name, s.id])),
      });
      const insert = async <E extends ObjectLiteral>(
        entity: EntityTarget<E>,
        key: keyof SeedCounts,
        rows: Partial<E>[],
      ) => {
        await insertRows(manager, entity, rows);
        counts[key] += rows.length;
      };

      // Activities and the ledger are written by the engine and the ledger service: count what they add.
      const before = {
        activities: await manager.getRepository(Activity).count(),
        point_transactions: await manager.getRepository(PointTransaction).count(),
      };
      await insert(Sponsor, 'sponsors', generator.sponsors());
      generator.planDrawings();
      for (const batch of generator.userBatches(USER_BATCH)) {
        await insert(User, 'users', batch.users);
        await insert(Profile, 'profiles', batch.profiles);
        await insert(TrackerConnection, 'tracker_connections', batch.connections);
        // The engine stores and pays the activity by every rule; then purchases, refunds and admin
        // adjusts go through the ledger like any other posting.
        await this.ingestion.ingest(batch.records);
        for (const [userId, postings] of batch.postings) await this.post(userId, postings);
        progress?.('users', counts.users, plan.users);
      }
      const { tickets, fulfillments } = generator.ticketsAndWinners();
      await insert(Drawing, 'drawings', generator.drawings());
      await insert(Prize, 'prizes', generator.prizes());
      await insert(Ticket, 'tickets', tickets);
      // Addresses are personal data: sealed at rest, as FulfillmentService stores a confirmed one.
      const sealed = fulfillments.map(({ shippingAddress, ...row }) => ({
        ...row,
        shippingAddress: shippingAddress ? this.box.seal(JSON.stringify(shippingAddress)) : null,
      }));
      await insert(PrizeFulfillment, 'prize_fulfillments', sealed);
      await insert(EmailOutbox, 'email_outbox', generator.emails());
      counts.activities = (await manager.getRepository(Activity).count()) - before.activities;
      counts.point_transactions =
        (await manager.getRepository(PointTransaction).count()) - before.point_transactions;
      progress?.('done', plan.users, plan.users);
    });

    // Fresh statistics, or the planner may ignore the list indexes after a large load.
    await this.dataSource.query(dialectSql[currentDbType()].analyze);
    const durationMs = Math.round(performance.now() - started);
    this.logger.log(`Seeded in ${durationMs} ms: ${JSON.stringify(counts)}`);
    return { counts, randomSeed: plan.randomSeed, referenceTime: reference, durationMs };
  }

  /** Posts a user's spends, refunds and adjusts in time order, each deciding from the balance before it. */
  private async post(userId: string, postings: SeedPosting[]): Promise<void> {
    let balance = await this.ledger.lockUser(userId);
    for (const posting of postings) {
      const entry = posting.entry(balance);
      if (!entry) continue;
      const { entry: posted } = await this.ledger.post(entry);
      if (!posted) continue;
      balance = posted.balanceAfter;
      posting.posted?.(posted.id);
    }
  }

  /** Drops every table, re-runs the migrations and seeds: a known clean state. */
  async reset(options: SeedOptions = {}, progress?: SeedProgress): Promise<SeedResult> {
    await this.database.dropSchema();
    await this.database.runMigrations();
    return this.seed(options, progress);
  }

  /** Seeds the default dataset when there are no users at all (`npm start` on a fresh clone). */
  async seedIfEmpty(): Promise<SeedResult | null> {
    if ((await this.dataSource.getRepository(User).count({ withDeleted: true })) > 0) return null;
    return this.seed();
  }
}

/** Multi-row inserts within the bind limit, without reading generated values back. */
async function insertRows<E extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<E>,
  rows: Partial<E>[],
): Promise<void> {
  if (!rows.length) return;
  const columns = Object.keys(rows[0]).length;
  const size = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_BINDS / columns)));
  for (const part of chunk(rows, size)) {
    await manager
      .createQueryBuilder()
      .insert()
      .into(entity)
      .values(part as never)
      .updateEntity(false)
      .execute();
  }
}

export function startOfUtcDay(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
}
