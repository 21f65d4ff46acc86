import { Injectable, OnModuleInit } from '@nestjs/common';
import {
  addDays,
  type AppConfig,
  calendarDateIn,
  type Caller,
  Clock,
  InjectConfig,
  UnitOfWork,
  UnprocessableError,
  userIdOf,
} from '@fittrack/core';
import { type PointsChanged, PointsChangedHooks } from '@fittrack/points';
import { PublicRankReader, type TierChanged, TierChangedHooks } from '@fittrack/users';
import type { LeaderboardRollup } from './entities/leaderboard-rollup.entity';
import { LeaderboardCache } from './leaderboard-cache';
import { type Board, LeaderboardsRepository, type RankedRow } from './leaderboards.repository';
import {
  ALL_TIME_KEY,
  currentWindow,
  type Period,
  periodKeysOf,
  PERIODS,
  type PeriodWindow,
} from './periods';

export const NO_TIER = 'Complete your profile to join a tier';
/** Ranks shown on each side of the caller's own. */
export const AROUND_ME = 10;

export interface Ranking {
  rank: number;
  userId: string;
  displayName: string;
  points: number;
}

export interface BoardView {
  window: PeriodWindow;
  tierCode: string;
  generatedAt: Date;
  total: number;
  rankings: Ranking[];
  myPosition: { rank: number; points: number } | null;
  aroundMe: Ranking[];
  page: number;
  perPage: number;
}

/**
 * The boards (domain-rules, Leaderboards): kept by the ledger's in-transaction hook and by tier changes,
 * read through a cache that every change invalidates once it has committed.
 */
@Injectable()
export class LeaderboardsService implements OnModuleInit {
  constructor(
    private readonly rollups: LeaderboardsRepository,
    private readonly cache: LeaderboardCache,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly pointsHooks: PointsChangedHooks,
    private readonly tierHooks: TierChangedHooks,
    private readonly publicRanks: PublicRankReader,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.pointsHooks.subscribe((events) => this.onPointsChanged(events));
    this.tierHooks.subscribe((event) => this.onTierChanged(event));
    this.publicRanks.register(async (userId, tierCode) => {
      const position = await this.rollups.position({ tierCode, periodKey: ALL_TIME_KEY }, userId);
      return position?.rank ?? null;
    });
  }

  /**
   * Runs inside the posting transaction, under the user's ledger lock: one upsert of every period the
   * posting's days count in (each period's deltas summed), on the tier the event carries.
   */
  async onPointsChanged(events: readonly PointsChanged[]): Promise<void> {
    const rows = new Map<string, LeaderboardRollup>();
    for (const event of events) {
      for (const periodKey of periodKeysOf(event.earnedOn)) {
        const key = `${event.userId}|${periodKey}`;
        const row = rows.get(key);
        if (row) {
          row.points += event.delta;
          if (event.at > row.reachedAt) row.reachedAt = event.at;
        } else {
          rows.set(key, {
            userId: event.userId,
            periodKey,
            tierCode: event.tierCode,
            points: event.delta,
            reachedAt: event.at,
          });
        }
      }
    }
    await this.rollups.addEarnings([...rows.values()]);
    const boards = [...rows.values()]
      .filter((row) => row.tierCode !== null)
      .map((row) => ({ tierCode: row.tierCode!, periodKey: row.periodKey }));
    if (boards.length) await this.unitOfWork.afterCommit(() => this.cache.invalidate(boards));
  }

  /** Runs inside the transaction that changes the tier, under the user's ledger lock. */
  async onTierChanged(event: TierChanged): Promise<void> {
    await this.rollups.moveTier(event.userId, event.to);
    // The boards served now: the periods of yesterday, today and tomorrow (a record's day is where the
    // user was, so it can be a day off the competition zone's), for both tiers.
    const today = calendarDateIn(this.clock.now(), this.config.competitionTimeZone);
    const periodKeys = [...new Set([-1, 0, 1].flatMap((offset) => periodKeysOf(addDays(today, offset))))];
    const tiers = [event.from, event.to].filter((tier): tier is string => tier !== null);
    await this.unitOfWork.afterCommit(() =>
      this.cache.invalidate(
        tiers.flatMap((tierCode) => periodKeys.map((periodKey) => ({ tierCode, periodKey }))),
      ),
    );
  }

  /** Each board's current period, for countdowns. */
  windows(): PeriodWindow[] {
    const now = this.clock.now();
    return PERIODS.map((period) => this.windowAt(period, now));
  }

  /** The last window computed per period: the zone arithmetic cost ~6 % of a cached board read. */
  private readonly lastWindows = new Map<Period, PeriodWindow>();

  /** currentWindow, reused while `now` falls inside the last one computed (any clock, moved or not). */
  private windowAt(period: Period, now: Date): PeriodWindow {
    const last = this.lastWindows.get(period);
    if (last && (!last.start || (last.start <= now && now < last.end!))) return last;
    const window = currentWindow(period, now, this.config.competitionTimeZone);
    this.lastWindows.set(period, window);
    return window;
  }

  /**
   * The current board of `period` for `tier` (default: the caller's tier): a page of the ranking, and
   * the caller's position with the ranks around it when the caller is ranked on this board.
   */
  async board(
    period: Period,
    tier: string | undefined,
    page: number,
    perPage: number,
    caller: Caller,
  ): Promise<BoardView> {
    const userId = userIdOf(caller);
    const tierCode = tier ?? (userId ? await this.rollups.tierOf(userId) : null);
    if (!tierCode) throw new UnprocessableError(NO_TIER);
    const window = this.windowAt(period, this.clock.now());
    const board: Board = { tierCode, periodKey: window.key };
    const skip = (page - 1) * perPage;
    // A page read for a caller counts the board and the caller's rank in one scan; the caller's entry
    // below then reuses that position (same board generation).
    const scanned: { position?: Awaited<ReturnType<LeaderboardsRepository['position']>> } = {};
    const { total, rankings, generatedAt } = await this.cache.getOrLoad(
      board,
      `page:${page}:${perPage}`,
      async () => {
        let total: number;
        if (userId)
          ({ position: scanned.position, total } = await this.rollups.positionAndTotal(board, userId));
        else total = await this.rollups.count(board);
        return {
          total,
          rankings: await this.named(await this.rollups.ranked(board, skip, perPage)),
          generatedAt: this.clock.now(),
        };
      },
    );
    const mine = userId
      ? await this.cache.getOrLoad(board, `user:${userId}`, async () => {
          const position =
            scanned.position !== undefined ? scanned.position : await this.rollups.position(board, userId);
          if (!position) return { position: null, around: [] };
          const around = await this.rollups.around(board, userId, position, AROUND_ME);
          return {
            position: { rank: position.rank, points: position.points },
            around: await this.named(around),
          };
        })
      : { position: null, around: [] };
    return {
      window,
      tierCode,
      generatedAt: new Date(generatedAt),
      total,
      rankings,
      myPosition: mine.position,
      aroundMe: mine.around,
      page,
      perPage,
    };
  }

  private async named(rows: RankedRow[]): Promise<Ranking[]> {
    const names = await this.rollups.displayNames(rows.map((row) => row.userId));
    return rows.map((row) => ({ ...row, displayName: names.get(row.userId) ?? '' }));
  }
}
