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
import { PublicRankReader, type TierChanged, TierChangedHooks, UsersRepository } from '@fittrack/users';
import type { LeaderboardRollup } from './entities/leaderboard-rollup.entity';
import { LeaderboardCache } from './leaderboard-cache';
import { jsonArray, rankingsJson } from './dto/leaderboard.dto';
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

/** A board read, with its rows already serialised (`boardBody` in the DTO file makes the body). */
export interface BoardView {
  window: PeriodWindow;
  tierCode: string;
  generatedAt: Date;
  total: number;
  /** The page's rows: a JSON array of RankingDto. */
  rankingsJson: string;
  myPosition: { rank: number; points: number } | null;
  /** The ranks around the caller's: a JSON array of RankingDto (empty when not ranked). */
  aroundMeJson: string;
  page: number;
  perPage: number;
}

/**
 * Boards of up to this many ranked users are cached whole (ADR 0031): one entry per board generation
 * serves every page and every caller's position and around_me, so a change on the board costs one
 * reload for all its readers instead of one per reader. Larger boards cache pages and each caller's
 * position apart (a rank there is a counted range of the index).
 */
export const WHOLE_BOARD_MAX = 1_000;

/** A board's summary as cached: whole (rows) up to WHOLE_BOARD_MAX users, else its size only. */
interface BoardSummary {
  generatedAt: number;
  total: number;
  rows: Ranking[] | null;
}

/** A summary as this process keeps it: the rows serialised once, and where each user stands. */
interface LocalSummary extends BoardSummary {
  json: string[];
  indexOf: Map<string, number> | null;
}

/** A caller's position on a board too large to cache whole. */
interface CallerPart {
  position: { rank: number; points: number } | null;
  around: string;
}

type Position = Awaited<ReturnType<LeaderboardsRepository['position']>>;

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
    private readonly users: UsersRepository,
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

  /** WHOLE_BOARD_MAX; tests lower it to read small boards in parts. */
  wholeBoardMax = WHOLE_BOARD_MAX;

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
    const generation = await this.cache.generation(board);
    // A summary read for a caller counts the board and the caller's rank in one scan; the caller's part
    // below then reuses that position (same board generation).
    let scanned: Position | undefined;
    const summaryPart = {
      part: 'board',
      load: async (): Promise<BoardSummary> => {
        let total: number;
        if (userId) ({ position: scanned, total } = await this.rollups.positionAndTotal(board, userId));
        else total = await this.rollups.count(board);
        if (total > this.wholeBoardMax) return { generatedAt: this.clock.now().getTime(), total, rows: null };
        const rows = await this.named(await this.rollups.ranked(board, 0, total));
        // Ranks 1..n as read (an award committed since the count starts a new generation after it).
        return { generatedAt: this.clock.now().getTime(), total: rows.length, rows };
      },
      local: (summary: BoardSummary): LocalSummary => ({
        ...summary,
        json: summary.rows ? rankingsJson(summary.rows, tierCode) : [],
        indexOf: summary.rows && new Map(summary.rows.map((row, i) => [row.userId, i])),
      }),
    };
    const {
      values: [summary],
      hit,
    } = await this.cache.parts(board, generation, [summaryPart] as const);
    const view = {
      window,
      tierCode,
      generatedAt: new Date(summary.generatedAt),
      total: summary.total,
      page,
      perPage,
    };
    if (summary.rows) {
      this.cache.counted(hit);
      const at = userId ? summary.indexOf!.get(userId) : undefined;
      const own = at === undefined ? null : summary.rows[at];
      return {
        ...view,
        rankingsJson: jsonArray(summary.json.slice(skip, skip + perPage)),
        myPosition: own && { rank: own.rank, points: own.points },
        aroundMeJson: jsonArray(
          at === undefined ? [] : summary.json.slice(Math.max(0, at - AROUND_ME), at + AROUND_ME + 1),
        ),
      };
    }
    const pagePart = {
      part: `page:${page}:${perPage}`,
      load: async () =>
        jsonArray(rankingsJson(await this.named(await this.rollups.ranked(board, skip, perPage)), tierCode)),
      local: (json: string) => json,
    };
    const callerPart = {
      part: `user:${userId}`,
      load: async (): Promise<CallerPart> => {
        const position = scanned !== undefined ? scanned : await this.rollups.position(board, userId!);
        if (!position) return { position: null, around: '[]' };
        const around = await this.rollups.around(board, userId!, position, AROUND_ME);
        return {
          position: { rank: position.rank, points: position.points },
          around: jsonArray(rankingsJson(await this.named(around), tierCode)),
        };
      },
      local: (part: CallerPart) => part,
    };
    if (!userId) {
      const { values, hit: pageHit } = await this.cache.parts(board, generation, [pagePart] as const);
      this.cache.counted(hit && pageHit);
      return { ...view, rankingsJson: values[0], myPosition: null, aroundMeJson: '[]' };
    }
    const {
      values: [rankings, mine],
      hit: partsHit,
    } = await this.cache.parts(board, generation, [pagePart, callerPart] as const);
    this.cache.counted(hit && partsHit);
    return { ...view, rankingsJson: rankings, myPosition: mine.position, aroundMeJson: mine.around };
  }

  private async named(rows: RankedRow[]): Promise<Ranking[]> {
    const names = await this.users.displayNames(rows.map((row) => row.userId));
    return rows.map((row) => ({ ...row, displayName: names.get(row.userId) ?? '' }));
  }
}
