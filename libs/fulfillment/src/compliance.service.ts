import { Injectable } from '@nestjs/common';
import { type AppConfig, InjectConfig, NotFoundError } from '@fittrack/core';
import { DrawingsRepository } from '@fittrack/sweepstakes';
import { UsersRepository } from '@fittrack/users';
import { FulfillmentRepository, NOT_RECEIVED } from './fulfillment.repository';

/** New York and Florida require registration and a bond above this total prize value (USD). */
export const REGISTRATION_THRESHOLD_USD = 5000;
const REGISTRATION_STATES = ['NY', 'FL'] as const;

const cents = (value: number) => Math.round(value * 100) / 100;

/** The admin compliance reports: per drawing, and prize reporting (1099-MISC, W-9) per calendar year. */
@Injectable()
export class ComplianceService {
  constructor(
    private readonly drawings: DrawingsRepository,
    private readonly fulfillments: FulfillmentRepository,
    private readonly users: UsersRepository,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async drawing(id: string) {
    const drawing = await this.drawings.get(id);
    if (!drawing) throw new NotFoundError('Drawing');
    const prizes = [...(drawing.prizes ?? [])].sort((a, b) => a.rank - b.rank);
    const total = cents(prizes.reduce((sum, prize) => sum + Number(prize.valueUsd), 0));
    const entries = await this.fulfillments.entries(id);
    const won = await this.fulfillments.ofDrawing(id);
    const names = await this.users.displayNames(won.map((f) => f.userId));
    const excluded = this.config.excludedStates;
    return {
      drawing_id: drawing.id,
      name: drawing.name,
      status: drawing.status,
      drawing_time: new Date(drawing.drawingTime).toISOString(),
      total_prize_value_usd: total,
      prizes: prizes.map((prize) => ({
        rank: prize.rank,
        name: prize.name,
        value_usd: Number(prize.valueUsd),
        fulfillment_type: prize.fulfillmentType,
      })),
      entries: { total: entries.total, bought: entries.total - entries.free, free: entries.free },
      winners: won.map((f) => ({
        prize_rank: f.prize!.rank,
        prize_name: f.prize!.name,
        value_usd: Number(f.prize!.valueUsd),
        user_id: f.userId,
        display_name: names.get(f.userId) ?? null,
        ticket_number: f.ticket!.ticketNumber,
        fulfillment_status: f.status,
      })),
      excluded_states: excluded,
      registrations: REGISTRATION_STATES.map((state) => {
        const open = !excluded.includes(state);
        const required = open && total > REGISTRATION_THRESHOLD_USD;
        return {
          state,
          required,
          bond_required: required,
          reason: !open
            ? `${state} residents are excluded (SWEEPSTAKES_EXCLUDED_STATES)`
            : required
              ? `Total prize value $${total} exceeds $${REGISTRATION_THRESHOLD_USD} and ${state} residents may enter`
              : `Total prize value $${total} does not exceed $${REGISTRATION_THRESHOLD_USD}`,
        };
      }),
    };
  }

  async prizeReporting(year: number) {
    const won = await this.fulfillments.wonBetween(
      new Date(Date.UTC(year, 0, 1)),
      new Date(Date.UTC(year + 1, 0, 1)),
    );
    const byUser = new Map<string, typeof won>();
    for (const f of won) byUser.set(f.userId, [...(byUser.get(f.userId) ?? []), f]);
    const names = await this.users.displayNames([...byUser.keys()]);
    const threshold = this.config.prizeReportingThresholdUsd;
    const winners = [...byUser.entries()].map(([userId, prizes]) => {
      const total = cents(prizes.reduce((sum, f) => sum + Number(f.prize!.valueUsd), 0));
      return {
        user_id: userId,
        display_name: names.get(userId) ?? null,
        prizes: prizes.map((f) => ({
          fulfillment_id: f.id,
          drawing_id: f.ticket!.drawingId,
          drawing_name: f.ticket!.drawing!.name,
          prize_name: f.prize!.name,
          value_usd: Number(f.prize!.valueUsd),
          fulfillment_type: f.prize!.fulfillmentType,
          status: f.status,
          won_at: new Date(f.notifiedAt!).toISOString(),
        })),
        total_value_usd: total,
        reportable: total >= threshold,
        w9_received: prizes.some((f) => f.w9ReceivedAt),
      };
    });
    winners.sort((a, b) => b.total_value_usd - a.total_value_usd || a.user_id.localeCompare(b.user_id));
    return {
      year,
      threshold_usd: threshold,
      excludes_statuses: NOT_RECEIVED,
      winners,
    };
  }
}
