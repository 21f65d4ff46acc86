import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ModulesContainer } from '@nestjs/core';
import type { TestingModule } from '@nestjs/testing';
import { TransactionHost } from '@nestjs-cls/transactional';
import * as ts from 'typescript';
import { DataSource, EntityManager, Repository, SelectQueryBuilder } from 'typeorm';
import { BaseRepository, DataContext, UnitOfWork } from '@fittrack/core';
import type { LeaderboardsRepository } from '@fittrack/leaderboards';
import type { ActivitiesRepository, ActivityFlagsRepository } from '@fittrack/trackers';
import { OracleStandIn, STAND_IN_ID, STAND_IN_TIME } from './oracledb-stand-in';

/**
 * The tour: every public method of every data-access provider in the app's Nest container, called as a
 * service would call it, on the Oracle DataSource. Data-access providers are found, not listed: classes
 * of this code base named *Repository, extending BaseRepository, or constructed with a database handle
 * (DataSource, EntityManager, a TypeORM Repository, the transaction host). A public method with no entry
 * here fails the tour, so a new query joins it when it is written.
 */

export interface TourKit {
  standIn: OracleStandIn;
  moduleRef: TestingModule;
  /** Runs `work` in the app's unit of work, as services do for multi-write operations. */
  inTransaction<T>(work: () => Promise<T>): Promise<T>;
}

/** One or more calls of a method; a string says why the tour needs no call (e.g. a TypeORM hook). */
export type TourEntry = ((target: never, kit: TourKit) => Promise<unknown>) | string;
type Calls = Record<string, TourEntry | TourEntry[]>;

const id = STAND_IN_ID;
const at = STAND_IN_TIME;

/** Every BaseRepository subclass inherits these; a class entry of the same name replaces them. */
const BASE_REPOSITORY: Calls = {
  get: (repo: BaseRepository<{ id: string }>) => repo.get(id),
  getOrFail: (repo: BaseRepository<{ id: string }>) => repo.getOrFail(id),
  list: [
    (repo: BaseRepository<{ id: string }>) => repo.list({ page: 1, per_page: 20 }),
    // A page past the middle is read from the far end, in reverse order.
    (repo: BaseRepository<{ id: string }>, { standIn }) => {
      standIn.answerOnce(/COUNT\(/, [{ cnt: 100 }]);
      return repo.list({ page: 4, per_page: 20 });
    },
  ],
  create: (repo: BaseRepository<{ id: string }>) => repo.create({}),
  update: (repo: BaseRepository<{ id: string }>) => repo.update(id, {}),
  // Only aggregates with a deleted_at column are soft deleted; on the others the method refuses.
  softDelete: (repo: BaseRepository<{ id: string }>) =>
    (repo as unknown as { repository: Repository<object> }).repository.metadata.deleteDateColumn
      ? repo.softDelete(id)
      : Promise.resolve(),
};

const BOARD = { tierCode: 'F-30-39-INT', periodKey: 'weekly:2026-01-12' };
type LeaderboardsTour = LeaderboardsRepository;

/** Per class: the calls of its own methods (and overrides of the inherited ones where they need data). */
export const TOUR: Record<string, Calls> = {
  UsersRepository: {
    list: (repo: never) =>
      (repo as BaseRepository<{ id: string }>).list({
        page: 1,
        per_page: 20,
        sort: '-created_at,email',
        filter: { role: 'user', status: 'active', email: 'A@b.example', tier_code: 'F-30-39' },
      }),
    create: (repo: { create(u: object): Promise<unknown> }) =>
      repo.create({ email: 'a@b.example', passwordHash: 'x', role: 'user', status: 'pending' }),
    findAccess: (repo: { findAccess(id: string): Promise<unknown> }) => repo.findAccess(id),
    findByEmail: (repo: { findByEmail(e: string): Promise<unknown> }) => repo.findByEmail('A@b.example'),
    findByEmailWithDeleted: (repo: { findByEmailWithDeleted(e: string): Promise<unknown> }) =>
      repo.findByEmailWithDeleted('a@b.example'),
    createWithProfile: (repo: { createWithProfile(u: object, p: object): Promise<unknown> }, kit) =>
      kit.inTransaction(() =>
        repo.createWithProfile(
          { email: 'a@b.example', passwordHash: 'x', role: 'user', status: 'pending', emailVerified: false },
          { displayName: 'A', dateOfBirth: '1990-01-01', state: 'NY', openTierOptIn: true, timezone: 'UTC' },
        ),
      ),
    updateColumns: (repo: { updateColumns(id: string, p: object): Promise<unknown> }) =>
      repo.updateColumns(id, {
        failedLoginCount: 0,
        lockedUntil: null,
        emailVerified: true,
        lastLoginAt: at,
      }),
    displayNames: (repo: { displayNames(ids: string[]): Promise<unknown> }) => repo.displayNames([id]),
    saveProfile: async (repo: {
      get(id: string): Promise<{ profile: object }>;
      saveProfile(p: object): Promise<unknown>;
    }) => repo.saveProfile((await repo.get(id)).profile),
    updateWithProfile: async (
      repo: {
        get(id: string): Promise<object>;
        updateWithProfile(u: object, a: object, b: object): Promise<unknown>;
      },
      kit,
    ) => {
      const user = await repo.get(id);
      return kit.inTransaction(() =>
        repo.updateWithProfile(user, { status: 'active' }, { displayName: 'B' }),
      );
    },
    getWithConnections: (repo: { getWithConnections(id: string): Promise<unknown> }) =>
      repo.getWithConnections(id),
    // Row lock for purchases and postings: the checker demands FOR UPDATE on what this builds.
    lockBalance: (repo: { lockBalance(id: string): Promise<unknown> }, kit) =>
      kit.inTransaction(() => repo.lockBalance(id)),
    applyPoints: (repo: { applyPoints(id: string, a: number, e: number): Promise<unknown> }) =>
      repo.applyPoints(id, -10, 0),
    idsBornOn: (repo: { idsBornOn(dates: string[]): Promise<unknown> }) =>
      repo.idsBornOn(['1996-01-15', '1996-02-29']),
  },
  LeaderboardsRepository: {
    tierOf: (repo: { tierOf(id: string): Promise<unknown> }) => repo.tierOf(id),
    // Under the user's ledger lock, in the posting transaction: one MERGE adds to existing rows, inserts the rest.
    addEarnings: (repo: LeaderboardsTour, { inTransaction }) =>
      inTransaction(() =>
        repo.addEarnings(
          ['daily:2026-01-16', 'weekly:2026-01-12', 'alltime'].map((periodKey, i) => ({
            userId: id,
            periodKey,
            tierCode: 'F-30-39-INT',
            points: 25 - i,
            reachedAt: at,
          })),
        ),
      ),
    moveTier: (repo: LeaderboardsTour) => repo.moveTier(id, 'OPEN'),
    count: (repo: LeaderboardsTour) => repo.count(BOARD),
    ranked: (repo: LeaderboardsTour) => repo.ranked(BOARD, 40, 21),
    position: (repo: LeaderboardsTour, { standIn }) => {
      standIn.answerOnce(/"leaderboard_rollups"/, [{ points: 120, reachedAt: at }]);
      return repo.position(BOARD, id);
    },
    // The user's row, then one scan counting the board and the rows ahead (a ranked user); or the count.
    positionAndTotal: [
      (repo: LeaderboardsTour, { standIn }) => {
        standIn.answerOnce(/"leaderboard_rollups"/, [{ points: 120, reachedAt: at }]);
        return repo.positionAndTotal(BOARD, id);
      },
      (repo: LeaderboardsTour) => repo.positionAndTotal(BOARD, id),
    ],
    around: (repo: LeaderboardsTour) => repo.around(BOARD, id, { rank: 50, points: 120, reachedAt: at }, 10),
  },
  DeniedAccessTokensRepository: {
    create: (repo: { create(t: object): Promise<unknown> }) => repo.create({ id, expiresAt: at }),
    update: (repo: { update(id: string, p: object): Promise<unknown> }) => repo.update(id, { expiresAt: at }),
    deny: [
      (repo: { deny(j: string, e: Date, n: Date): Promise<unknown> }) => repo.deny(id, at, at),
      (repo: { deny(j: string, e: Date, n: Date): Promise<unknown> }, { standIn }) => {
        standIn.answerOnce(/FROM "denied_access_tokens"/, []);
        return repo.deny(id, at, at);
      },
    ],
    isDenied: (repo: { isDenied(j: string, n: Date): Promise<unknown> }) => repo.isDenied(id, at),
    live: (repo: { live(n: Date): Promise<unknown> }) => repo.live(at),
  },
  AuthTokensRepository: {
    create: (repo: { create(t: object): Promise<unknown> }) =>
      repo.create({ userId: id, purpose: 'email_verification', tokenHash: 'h'.repeat(64), expiresAt: at }),
    findByHash: (repo: { findByHash(p: string, h: string): Promise<unknown> }) =>
      repo.findByHash('email_verification', 'h'.repeat(64)),
    consume: (repo: { consume(id: string, at: Date): Promise<unknown> }) => repo.consume(id, at),
    consumeAllFor: (repo: { consumeAllFor(u: string, p: string, at: Date): Promise<unknown> }) =>
      repo.consumeAllFor(id, 'password_reset', at),
  },
  RefreshTokensRepository: {
    create: (repo: { create(t: object): Promise<unknown> }) =>
      repo.create({ userId: id, tokenHash: 'h'.repeat(64), familyId: id, expiresAt: at, accessJti: id }),
    findByHash: (repo: { findByHash(h: string): Promise<unknown> }) => repo.findByHash('h'.repeat(64)),
    findByAccessJti: (repo: { findByAccessJti(u: string, j: string): Promise<unknown> }) =>
      repo.findByAccessJti(id, id),
    markRotated: (repo: { markRotated(id: string, at: Date): Promise<unknown> }) => repo.markRotated(id, at),
    revoke: [
      (repo: { revoke(w: object, at: Date, except?: string): Promise<unknown> }) =>
        repo.revoke({ familyId: id }, at),
      (repo: { revoke(w: object, at: Date, except?: string): Promise<unknown> }) =>
        repo.revoke({ userId: id }, at, '00000000-0000-4000-8000-000000000002'),
    ],
  },
  EmailOutboxRepository: {
    list: (repo: never) =>
      (repo as BaseRepository<{ id: string }>).list({
        page: 1,
        per_page: 20,
        filter: { to: 'a@b.example', status: 'pending', template: 'verify_email' },
      }),
    create: (repo: { create(e: object): Promise<unknown> }) =>
      repo.create({
        toAddress: 'a@b.example',
        subject: 'S',
        template: 'verify_email',
        bodyText: 't',
        bodyHtml: '<p>t</p>',
      }),
    claim: (repo: { claim(id: string): Promise<unknown> }) => repo.claim(id),
    markSent: (repo: { markSent(id: string, at: Date): Promise<unknown> }) => repo.markSent(id, at),
    markFailed: (repo: { markFailed(id: string, e: string, f: boolean): Promise<unknown> }) =>
      repo.markFailed(id, 'smtp 451', false),
  },
  PointTransactionsRepository: {
    list: (repo: never) =>
      (repo as BaseRepository<{ id: string }>).list({
        page: 1,
        per_page: 20,
        sort: '-amount',
        filter: { transaction_type: 'earn', user_id: id },
      }),
    earnedSince: (repo: { earnedSince(u: string, since: Date): Promise<unknown> }) =>
      repo.earnedSince(id, at),
    earnedOn: (repo: { earnedOn(u: string, day: string): Promise<unknown> }) =>
      repo.earnedOn(id, '2026-03-08'),
    forPosting: (repo: { forPosting(u: string, k: string[]): Promise<unknown> }) =>
      repo.forPosting(id, ['activity:1:v1', 'activity:2:v1']),
    appendMany: (repo: { appendMany(e: object[]): Promise<unknown> }, kit) =>
      kit.inTransaction(() =>
        repo.appendMany(
          [1, 2].map((sequence) => ({
            id: `${id.slice(0, -1)}${sequence}`,
            createdAt: at,
            userId: id,
            transactionType: 'earn',
            amount: 10,
            balanceAfter: 10 * sequence,
            description: 'Steps',
            idempotencyKey: `activity:${sequence}:v1`,
            sequence,
            earnedOn: '2026-03-08',
            referenceType: 'activity',
            referenceId: id,
          })),
        ),
      ),
  },
  ActivitiesRepository: {
    list: (repo: never) =>
      (repo as BaseRepository<{ id: string }>).list({
        page: 1,
        per_page: 20,
        sort: '-points_earned',
        filter: { activity_type: 'steps', user_id: id, start_date: '2026-03-08', end_date: '2026-03-09' },
      }),
    ownerFacts: (repo: ActivitiesRepository) => repo.ownerFacts(id),
    ownerWithConnections: (repo: ActivitiesRepository) => repo.ownerWithConnections(id),
    findByExternalIdsOrDays: (repo: ActivitiesRepository) =>
      repo.findByExternalIdsOrDays(id, ['wk-1', 'daily:2026-03-08:steps'], ['2026-03-08', '2026-03-09']),
    findByDays: (repo: ActivitiesRepository) => repo.findByDays(id, ['2026-03-08', '2026-03-09']),
    findBetweenDays: (repo: ActivitiesRepository) => repo.findBetweenDays(id, '2026-03-01', '2026-03-31'),
    earningDays: (repo: ActivitiesRepository) => repo.earningDays(id, '2026-03-09', 1000),
    insertMany: (repo: ActivitiesRepository) =>
      repo.insertMany([
        {
          id,
          userId: id,
          connectionId: id,
          provider: 'fitbit',
          externalId: 'wk-1',
          activityType: 'workout',
          startTime: at,
          endTime: at,
          durationMinutes: 30,
          intensity: 'vigorous',
          metrics: { steps: 4000 },
          day: '2026-03-08',
          localDate: null,
          utcOffsetMinutes: -300,
          multiplierPct: 120,
          uploadSource: 'automatic',
          reviewStatus: 'none',
          isWithdrawn: false,
          isDuplicate: false,
          pointsEarned: 108,
          payments: 1,
          processedAt: at,
          createdAt: at,
          updatedAt: at,
        },
      ]),
    patch: (repo: ActivitiesRepository) =>
      repo.patch(id, { pointsEarned: 20, payments: 2, isDuplicate: false }),
  },
  ActivityFlagsRepository: {
    findByActivity: (repo: ActivityFlagsRepository) => repo.findByActivity(id),
    decide: (repo: ActivityFlagsRepository) => repo.decide(id, 'approved', id),
    list: (repo: ActivityFlagsRepository) => repo.list({ page: 1, per_page: 20, filter: { status: 'open' } }),
  },
  ConnectionsRepository: {
    findLive: (repo: { findLive(u: string, p: string): Promise<unknown> }) => repo.findLive(id, 'fitbit'),
    listLive: (repo: { listLive(u: string): Promise<unknown> }) => repo.listLive(id),
    findByTerraUser: (repo: { findByTerraUser(t: string): Promise<unknown> }) =>
      repo.findByTerraUser('terra-1'),
    makePrimary: (repo: { makePrimary(u: string, c: string): Promise<unknown> }, kit) =>
      kit.inTransaction(() => repo.makePrimary(id, id)),
    promoteOldest: (repo: { promoteOldest(u: string): Promise<unknown> }, kit) =>
      kit.inTransaction(() => repo.promoteOldest(id)),
    claimManualSync: (repo: { claimManualSync(c: string, now: Date, cutoff: Date): Promise<unknown> }) =>
      repo.claimManualSync(id, at, at),
    due: [
      (repo: { due(before: Date, after: string | null, limit: number): Promise<unknown> }) =>
        repo.due(at, null, 1000),
      (repo: { due(before: Date, after: string | null, limit: number): Promise<unknown> }) =>
        repo.due(at, id, 1000),
    ],
    setStatus: (repo: { setStatus(c: string, patch: object): Promise<unknown> }) =>
      repo.setStatus(id, { syncStatus: 'ok', lastSyncAt: at, lastError: null, reconnectRequired: false }),
    claimReconnectRequired: (repo: { claimReconnectRequired(c: string, reason: string): Promise<unknown> }) =>
      repo.claimReconnectRequired(id, 'access revoked'),
    recipientOf: (repo: { recipientOf(u: string): Promise<unknown> }) => repo.recipientOf(id),
  },
  WebhookEventsRepository: {
    insertOnce: (repo: { insertOnce(e: object): Promise<unknown> }) =>
      repo.insertOnce({ bodyHash: 'a'.repeat(64), eventType: 'daily', payload: '{}', status: 'received' }),
    finish: (repo: { finish(e: string, s: string): Promise<unknown> }) => repo.finish(id, 'processed'),
    // A batch found, so its DELETE by id runs too.
    deleteFinishedBefore: (
      repo: { deleteFinishedBefore(b: Date, l: number): Promise<unknown> },
      { standIn },
    ) => {
      standIn.answerOnce(/FROM "terra_webhook_events"/, [{ id }]);
      return repo.deleteFinishedBefore(at, 500);
    },
    receivedBefore: (repo: { receivedBefore(b: Date, l: number): Promise<unknown> }) =>
      repo.receivedBefore(at, 1000),
    receivedWithHash: (repo: { receivedWithHash(h: string): Promise<unknown> }) =>
      repo.receivedWithHash('a'.repeat(64)),
  },
  DrawingsRepository: {
    list: (repo: never) =>
      (repo as BaseRepository<{ id: string }>).list({
        page: 1,
        per_page: 20,
        filter: { status: 'open', drawing_type: 'daily' },
      }),
    countSponsors: (repo: { countSponsors(ids: string[]): Promise<unknown> }) => repo.countSponsors([id]),
    createWithPrizes: (repo: { createWithPrizes(d: object, p: object[]): Promise<unknown> }, kit) =>
      kit.inTransaction(() =>
        repo.createWithPrizes(
          {
            drawingType: 'daily',
            name: 'D',
            ticketCostPoints: 10,
            opensAt: at,
            ticketSalesClose: at,
            drawingTime: at,
            eligibility: { states: ['NY'] },
          },
          [{ rank: 1, name: 'P', valueUsd: '10.00', fulfillmentType: 'digital' }],
        ),
      ),
    saveFields: [
      (repo: { saveFields(i: string, e: string[], p: object, z?: object[]): Promise<unknown> }) =>
        repo.saveFields(id, ['draft', 'scheduled'], { name: 'E' }),
      (repo: { saveFields(i: string, e: string[], p: object, z?: object[]): Promise<unknown> }, kit) =>
        kit.inTransaction(() =>
          repo.saveFields(id, ['draft'], { name: 'E', drawingTime: at }, [
            { rank: 1, name: 'P', valueUsd: '10.00', fulfillmentType: 'physical' },
          ]),
        ),
    ],
  },
  TicketsRepository: {
    list: (repo: never) =>
      (repo as BaseRepository<{ id: string }>).list({
        page: 1,
        per_page: 20,
        sort: 'ticket_number',
        filter: { drawing_id: id, user_id: id, is_winner: 'true' },
      }),
    findDrawing: (repo: { findDrawing(d: string): Promise<unknown> }) => repo.findDrawing(id),
    entryOf: [
      (repo: { entryOf(d: string, u: string[]): Promise<unknown> }) => repo.entryOf(id, [id]),
      (repo: { entryOf(d: string, u: string[]): Promise<unknown> }) =>
        repo.entryOf(id, [id, '00000000-0000-4000-8000-000000000002']),
    ],
    // Oracle's portable path: the conditional UPDATE (the row lock), the total read back, the INSERT.
    issue: [
      (repo: { issue(d: string, e: object[], n: Date): Promise<unknown> }, kit) =>
        kit.inTransaction(() =>
          repo.issue(
            id,
            [
              { userId: id, quantity: 2, purchaseTransactionId: id },
              { userId: '00000000-0000-4000-8000-000000000002', quantity: 1, purchaseTransactionId: id },
            ],
            at,
          ),
        ),
      (repo: { issue(d: string, e: object[], n: Date): Promise<unknown> }, kit) =>
        kit.inTransaction(() =>
          repo.issue(id, [{ userId: id, quantity: 1, purchaseTransactionId: null }], at),
        ),
    ],
    insertMany: (repo: { insertMany(rows: object[]): Promise<unknown> }, kit) =>
      kit.inTransaction(() =>
        repo.insertMany([
          { drawingId: id, userId: id, ticketNumber: 5, purchaseTransactionId: id, isFree: false },
          { drawingId: id, userId: id, ticketNumber: 6, purchaseTransactionId: null, isFree: true },
        ]),
      ),
    countForUser: (repo: { countForUser(d: string, u: string): Promise<unknown> }) =>
      repo.countForUser(id, id),
    countsFor: (repo: { countsFor(d: string, u: string[]): Promise<unknown> }) =>
      repo.countsFor(id, [id, '00000000-0000-4000-8000-000000000002']),
    hasFreeEntry: (repo: { hasFreeEntry(d: string, u: string): Promise<unknown> }) =>
      repo.hasFreeEntry(id, id),
    byPurchase: (repo: { byPurchase(p: string): Promise<unknown> }) => repo.byPurchase(id),
    purchasesOf: (repo: { purchasesOf(d: string): Promise<unknown> }) => repo.purchasesOf(id),
    spendByKey: (repo: { spendByKey(k: string): Promise<unknown> }) =>
      repo.spendByKey(`tickets:${id}:${id}:k`),
    spendEntry: (repo: { spendEntry(p: string): Promise<unknown> }) => repo.spendEntry(id),
    ownerOf: (repo: { ownerOf(d: string, n: number): Promise<unknown> }) => repo.ownerOf(id, 3),
    countExcluding: [
      (repo: { countExcluding(d: string, o: string[]): Promise<unknown> }) => repo.countExcluding(id, []),
      (repo: { countExcluding(d: string, o: string[]): Promise<unknown> }) =>
        repo.countExcluding(id, [id, '00000000-0000-4000-8000-000000000002']),
    ],
    listForUser: (repo: { listForUser(r: object, u: string): Promise<unknown> }) =>
      repo.listForUser({ page: 1, per_page: 20, filter: { drawing_id: id } }, id),
  },
  DrawRepository: {
    transition: [
      (repo: { transition(i: string, f: string[], t: string, s?: object): Promise<unknown> }) =>
        repo.transition(id, ['draft'], 'scheduled', { seedCommitment: 'c'.repeat(64), beaconRound: '1000' }),
      (repo: {
        transition(i: string, f: string[], t: string, s?: object, extra?: string): Promise<unknown>;
      }) => repo.transition(id, ['closed'], 'completed', { completedAt: at }, 'completed_at IS NULL'),
    ],
    saveSeed: (repo: { saveSeed(d: string, s: string): Promise<unknown> }) =>
      repo.saveSeed(id, 'a'.repeat(64)),
    readSeed: (repo: { readSeed(d: string): Promise<unknown> }) => repo.readSeed(id),
    forEachTicket: (repo: { forEachTicket(d: string, each: () => void): Promise<unknown> }) =>
      repo.forEachTicket(id, () => undefined),
    ticketLines: async (repo: { ticketLines(d: string): AsyncIterable<string> }) => {
      for await (const lines of repo.ticketLines(id)) void lines;
    },
    prizesOf: (repo: { prizesOf(d: string): Promise<unknown> }) => repo.prizesOf(id),
    award: (repo: { award(t: object, p: object, f: object): Promise<unknown> }, kit) =>
      kit.inTransaction(() =>
        repo.award({ id, userId: id }, { id }, { status: 'winner_notified', notifiedAt: at }),
      ),
    winningTickets: (repo: { winningTickets(d: string): Promise<unknown> }) => repo.winningTickets(id),
    redrawsOf: (repo: { redrawsOf(d: string): Promise<unknown> }) => repo.redrawsOf(id),
    advanceCounter: (repo: { advanceCounter(d: string, f: number, t: number): Promise<unknown> }) =>
      repo.advanceCounter(id, 7, 9),
    saveRedraw: (repo: { saveRedraw(r: object): Promise<unknown> }, kit) =>
      kit.inTransaction(() =>
        repo.saveRedraw({
          drawingId: id,
          sequence: 1,
          prizeRank: 1,
          ticketNumber: 3,
          userId: id,
          replacesTicket: 2,
        }),
      ),
    due: (repo: { due(now: Date): Promise<unknown> }) => repo.due(at),
    countOverdue: (repo: { countOverdue(now: Date): Promise<unknown> }) => repo.countOverdue(at),
    audit: (repo: { audit(e: object): Promise<unknown> }) =>
      repo.audit({
        actorId: id,
        action: 'drawing.execute',
        entityType: 'drawing',
        entityId: id,
        beforeState: { status: 'closed' },
        afterState: { status: 'completed' },
      }),
    listAudit: [
      (repo: { listAudit(r: object, e?: string): Promise<unknown> }) =>
        repo.listAudit({ page: 1, per_page: 20 }),
      (repo: { listAudit(r: object, e?: string): Promise<unknown> }) =>
        repo.listAudit({ page: 3, per_page: 20 }, id),
    ],
  },
  FulfillmentRepository: {
    list: (repo: never) =>
      (repo as BaseRepository<{ id: string }>).list({
        page: 1,
        per_page: 20,
        sort: '-notified_at',
        filter: { status: 'winner_notified', user_id: id },
      }),
    detailed: (repo: { detailed(i: string): Promise<unknown> }) => repo.detailed(id),
    move: [
      (repo: { move(i: string, f: string[], s: object): Promise<unknown> }) =>
        repo.move(id, ['winner_notified'], { status: 'forfeited', forfeitedAt: at }),
      (repo: { move(i: string, f: string[], s: object, extra?: string): Promise<unknown> }) =>
        repo.move(id, ['winner_notified'], { reminderSentAt: at }, 'reminder_sent_at IS NULL'),
    ],
    digitalCode: (repo: { digitalCode(p: string): Promise<unknown> }) => repo.digitalCode(id),
    redrawOf: (repo: { redrawOf(d: string, n: number): Promise<unknown> }) => repo.redrawOf(id, 2),
    dueReminders: (repo: { dueReminders(b: Date): Promise<unknown> }) => repo.dueReminders(at),
    dueForfeits: (repo: { dueForfeits(b: Date): Promise<unknown> }) => repo.dueForfeits(at),
    contactOf:
      'reads users and profiles by id with a left join; its user must exist, which the stand-in does not model',
    adminEmails: (repo: { adminEmails(): Promise<unknown> }) => repo.adminEmails(),
    wonBetween: [
      (repo: { wonBetween(f: Date, t: Date, u?: string): Promise<unknown> }) => repo.wonBetween(at, at),
      (repo: { wonBetween(f: Date, t: Date, u?: string): Promise<unknown> }) => repo.wonBetween(at, at, id),
    ],
    ofDrawing: (repo: { ofDrawing(d: string): Promise<unknown> }) => repo.ofDrawing(id),
    entries: (repo: { entries(d: string): Promise<unknown> }) => repo.entries(id),
  },
  SponsorsRepository: {
    list: (repo: never) =>
      (repo as BaseRepository<{ id: string }>).list({
        page: 1,
        per_page: 20,
        sort: 'name',
        filter: { is_active: 'true' },
      }),
  },
  ReportsRepository: {
    counts: (repo: { counts(): Promise<unknown> }) => repo.counts(),
    integrity: (repo: { integrity(): Promise<unknown> }) => repo.integrity(),
    countBy: (repo: { countBy(e: string, p: string): Promise<unknown> }) => repo.countBy('User', 'status'),
    pointsSpent: (repo: { pointsSpent(): Promise<unknown> }) => repo.pointsSpent(),
  },
  DatabaseService: {
    serverVersion: (db: { serverVersion(): Promise<unknown> }) => db.serverVersion(),
    // Reads the pool's own count (no SQL); called so the tour still sees every public method.
    poolWaiting: async (db: { poolWaiting(): number }) => db.poolWaiting(),
    runMigrations: 'the migration tour runs every migration up (oracle-dialect.oracle-spec.ts)',
    revertLastMigration: 'the migration tour reverts every migration (oracle-dialect.oracle-spec.ts)',
    dropSchema: (db: { dropSchema(): Promise<unknown>; runMigrations(): Promise<unknown> }) =>
      db.dropSchema().then(() => db.runMigrations()),
  },
  SeedService: {
    seed: (seeder: { seed(o: object): Promise<unknown> }, { standIn }) => {
      // The engine reads each paid user's tier (ActivitiesRepository.ownerFacts): answer a real one.
      for (let i = 0; i < 4; i++)
        standIn.answerOnce(/AS "tier_code"/, [{ timezone: null, tier_code: 'OPEN' }]);
      return seeder.seed({ users: 3, activities: 2, drawings: 2, referenceTime: at });
    },
    reset: 'dropSchema + runMigrations + seed, each toured on its own',
    seedIfEmpty: (seeder: { seedIfEmpty(): Promise<unknown> }) => seeder.seedIfEmpty(),
  },
  UnitOfWork: {
    run: (uow: UnitOfWork, { moduleRef }) =>
      uow.run(() => moduleRef.get(DataContext).txHost.tx.query('SELECT 1 AS "one" FROM DUAL')),
    afterCommit: (uow: UnitOfWork) => uow.run(() => uow.afterCommit(() => Promise.resolve())),
  },
  ClockTimestampsSubscriber: {
    beforeInsert: 'a TypeORM hook: runs on every insert of the tour',
    beforeUpdate: 'a TypeORM hook: runs on every update of the tour',
  },
  DataContext: {},
};

/** Constructor parameter types that mean "this provider talks to the database". */
const DATABASE_HANDLES: unknown[] = [DataSource, EntityManager, Repository, TransactionHost, DataContext];

export interface TourTarget {
  name: string;
  instance: object;
  methods: string[];
}

/** The data-access providers of the app's container, with their public methods (own and inherited). */
export function tourTargets(moduleRef: TestingModule, sourceRoots = ['libs', 'apps']): TourTarget[] {
  const declarations = classDeclarations(sourceRoots);
  const targets = new Map<string, TourTarget>();
  for (const module of moduleRef.get(ModulesContainer).values()) {
    for (const wrapper of module.providers.values()) {
      const type = wrapper.metatype as (new (...args: never[]) => object) | null;
      const instance = wrapper.instance as object | null;
      if (!type || typeof type !== 'function' || !instance || !declarations.has(type.name)) continue;
      const params = (Reflect.getMetadata('design:paramtypes', type) ?? []) as unknown[];
      const isDataAccess =
        type.name.endsWith('Repository') ||
        type.prototype instanceof BaseRepository ||
        params.some((param) => DATABASE_HANDLES.includes(param));
      if (isDataAccess)
        targets.set(type.name, { name: type.name, instance, methods: publicMethods(type, declarations) });
    }
  }
  return [...targets.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** The tour's calls for one target's method: its own entry, else the BaseRepository default. */
export function entriesFor(target: TourTarget, method: string, tour = TOUR): TourEntry[] {
  const own = tour[target.name]?.[method];
  const inherited = target.instance instanceof BaseRepository ? BASE_REPOSITORY[method] : undefined;
  const entry = own ?? inherited;
  return entry === undefined ? [] : Array.isArray(entry) ? entry : [entry];
}

export function kitFor(standIn: OracleStandIn, moduleRef: TestingModule): TourKit {
  const unitOfWork = moduleRef.get(UnitOfWork);
  return { standIn, moduleRef, inTransaction: (work) => unitOfWork.run(work) };
}

type Members = Map<string, { hidden: Set<string>; base?: string }>;

/** Class name → its private/protected/#private member names, from the TypeScript sources. */
function classDeclarations(roots: string[]): Members {
  const members: Members = new Map();
  const visit = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== 'node_modules' && name !== 'public') visit(path);
      } else if (name.endsWith('.ts') && !/\.(spec|d)\.ts$/.test(name)) {
        const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, false);
        source.forEachChild((node) => {
          if (!ts.isClassDeclaration(node) || !node.name) return;
          const hidden = new Set<string>();
          for (const member of node.members) {
            const memberName =
              member.name && (ts.isIdentifier(member.name) || ts.isPrivateIdentifier(member.name))
                ? member.name.text
                : undefined;
            if (!memberName) continue;
            const modifiers = ts.canHaveModifiers(member) ? (ts.getModifiers(member) ?? []) : [];
            const nonPublic = modifiers.some(
              (m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword,
            );
            if (
              nonPublic ||
              memberName.startsWith('#') ||
              ts.isGetAccessor(member) ||
              ts.isSetAccessor(member)
            )
              hidden.add(memberName);
          }
          members.set(node.name.text, { hidden });
        });
      }
    }
  };
  for (const root of roots) visit(join(__dirname, '..', '..', root));
  return members;
}

function publicMethods(type: new (...args: never[]) => object, declarations: Members): string[] {
  const methods = new Set<string>();
  const hidden = new Set<string>();
  for (
    let proto = type.prototype;
    proto && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    const declared = declarations.get(proto.constructor.name);
    declared?.hidden.forEach((name) => hidden.add(name));
    for (const name of Object.getOwnPropertyNames(proto)) {
      const descriptor = Object.getOwnPropertyDescriptor(proto, name);
      if (name !== 'constructor' && typeof descriptor?.value === 'function') methods.add(name);
    }
  }
  return [...methods].filter((name) => !hidden.has(name)).sort();
}

/** Records which SQL texts were built with a pessimistic lock, so the checker can demand FOR UPDATE. */
export function recordLockRequests(): { requested: Set<string>; restore(): void } {
  const requested = new Set<string>();
  const proto = SelectQueryBuilder.prototype;
  const original = proto.getQueryAndParameters;
  proto.getQueryAndParameters = function (this: SelectQueryBuilder<object>) {
    const result = original.call(this);
    if (this.expressionMap.lockMode?.startsWith('pessimistic')) requested.add(result[0]);
    return result;
  };
  return { requested, restore: () => (proto.getQueryAndParameters = original) };
}
