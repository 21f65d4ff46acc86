import type { BoardView, Ranking } from '../leaderboards.service';
import { boardBody, jsonArray, rankingsJson } from './leaderboard.dto';

const ranking = (rank: number, displayName: string, points: number): Ranking => ({
  rank,
  userId: `00000000-0000-4000-8000-00000000000${rank}`,
  displayName,
  points,
});

/** The body as the response object serialised, fields in BoardResponseDto's order (the wire format). */
const serialised = (view: BoardView, rankings: Ranking[], around: Ranking[]) =>
  JSON.stringify({
    period: view.window.period,
    tier_code: view.tierCode,
    period_start: view.window.start?.toISOString() ?? null,
    period_end: view.window.end?.toISOString() ?? null,
    next_reset_at: view.window.nextResetAt?.toISOString() ?? null,
    generated_at: view.generatedAt.toISOString(),
    total_users: view.total,
    rankings: rankings.map((r) => ({
      rank: r.rank,
      user_id: r.userId,
      display_name: r.displayName,
      tier_code: view.tierCode,
      points: r.points,
    })),
    my_position: view.myPosition,
    around_me: around.map((r) => ({
      rank: r.rank,
      user_id: r.userId,
      display_name: r.displayName,
      tier_code: view.tierCode,
      points: r.points,
    })),
    meta: {
      page: view.page,
      per_page: view.perPage,
      total: view.total,
      total_pages: Math.ceil(view.total / view.perPage),
    },
  });

describe('boardBody', () => {
  it('is byte for byte the serialised response object, from rows serialised apart', () => {
    // Names that JSON must escape: quotes, a backslash, a line break, non-ASCII.
    const rankings = [ranking(1, 'Robin "R." \\ Ré', 4500), ranking(2, 'Sam\nP.', 4400)];
    const around = [ranking(2, 'Sam\nP.', 4400), ranking(3, 'Ana', 12)];
    const view: BoardView = {
      window: {
        period: 'weekly',
        key: 'weekly:2026-01-12',
        start: new Date('2026-01-12T05:00:00Z'),
        end: new Date('2026-01-19T05:00:00Z'),
        nextResetAt: new Date('2026-01-19T05:00:00Z'),
      },
      tierCode: 'M-30-39-INT',
      generatedAt: new Date('2026-01-16T21:00:00Z'),
      total: 201,
      rankingsJson: jsonArray(rankingsJson(rankings, 'M-30-39-INT')),
      myPosition: { rank: 2, points: 4400 },
      aroundMeJson: jsonArray(rankingsJson(around, 'M-30-39-INT')),
      page: 1,
      perPage: 2,
    };
    expect(boardBody(view)).toBe(serialised(view, rankings, around));
  });

  it('all time (no period bounds), not ranked, an empty page', () => {
    const view: BoardView = {
      window: { period: 'alltime', key: 'alltime', start: null, end: null, nextResetAt: null },
      tierCode: 'OPEN',
      generatedAt: new Date('2026-01-16T21:00:00Z'),
      total: 0,
      rankingsJson: jsonArray([]),
      myPosition: null,
      aroundMeJson: jsonArray([]),
      page: 3,
      perPage: 100,
    };
    expect(boardBody(view)).toBe(serialised(view, [], []));
  });
});
