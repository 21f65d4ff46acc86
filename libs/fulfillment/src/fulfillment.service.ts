import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import {
  type AppConfig,
  type Caller,
  Clock,
  ConflictError,
  InjectConfig,
  type ListRequest,
  mapPage,
  NotFoundError,
  SecretBox,
  SYSTEM_PRINCIPAL,
  UnitOfWork,
  userIdOf,
} from '@fittrack/core';
import { EmailService, type EmailTemplateName, type TEMPLATES } from '@fittrack/notifications';
import { AuditLogService, DrawingExecutionService, WinnersAwardedHooks } from '@fittrack/sweepstakes';
import type {
  FulfillmentResponse,
  ShipFulfillmentDto,
  ShippingAddressDto,
  UpdateFulfillmentDto,
} from './dto/fulfillment.dto';
import {
  FULFILLMENT_STATUSES,
  type FulfillmentStatus,
  type PrizeFulfillment,
  type ShippingAddress,
} from './entities/prize-fulfillment.entity';
import { FulfillmentRepository } from './fulfillment.repository';

const DAY_MS = 86_400_000;
/** domain-rules, Fulfillment: a reminder 7 days after notification (once), forfeit at 14. */
export const REMINDER_AFTER_DAYS = 7;
export const FORFEIT_AFTER_DAYS = 14;

/** Status changes an admin may make with PUT (shipping has its own endpoint, the address is the winner's). */
const ADMIN_MOVES: Partial<Record<FulfillmentStatus, FulfillmentStatus[]>> = {
  winner_notified: ['pending'],
  delivered: ['shipped'],
  forfeited: ['winner_notified'],
  returned_to_sponsor: ['forfeited'],
};

/** What the audit log keeps of a fulfillment: never the address (personal data). */
const snapshot = (f: PrizeFulfillment) => ({
  status: f.status,
  carrier: f.carrier,
  tracking_number: f.trackingNumber,
  notes: f.notes,
  w9_received_at: f.w9ReceivedAt,
});

const iso = (date: Date | string | null) => (date ? new Date(date).toISOString() : null);

/**
 * Prize fulfillment (domain-rules, Fulfillment): one record per winner, opened by the draw; the winner's
 * address (sealed at rest), admin shipping with the W-9 rule, deadlines (reminder, forfeit) and re-draws.
 * Every change is a conditional update on the expected status, so two admins or ticks change it once.
 */
@Injectable()
export class FulfillmentService implements OnModuleInit {
  private readonly logger = new Logger(FulfillmentService.name);

  constructor(
    private readonly fulfillments: FulfillmentRepository,
    private readonly execution: DrawingExecutionService,
    private readonly winnersAwarded: WinnersAwardedHooks,
    private readonly auditLog: AuditLogService,
    private readonly email: EmailService,
    private readonly box: SecretBox,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.winnersAwarded.subscribe(({ fulfillmentIds }) => this.notifyWinners(fulfillmentIds));
  }

  async listOwn(request: ListRequest, caller: Caller) {
    const userId = userIdOf(caller);
    if (!userId) throw new NotFoundError('Fulfillment');
    const page = await this.fulfillments.list({ ...request, filter: { ...request.filter, user_id: userId } });
    return mapPage(page, (f) => this.toResponse(f));
  }

  async listAll(request: ListRequest) {
    return mapPage(await this.fulfillments.list(request), (f) => this.toResponse(f));
  }

  async get(id: string, caller: Caller): Promise<FulfillmentResponse> {
    return this.toResponse(await this.owned(id, caller));
  }

  /** The winner's address: `winner_notified` → `address_confirmed`; admins are emailed. */
  async confirmAddress(
    id: string,
    address: ShippingAddressDto,
    caller: Caller,
  ): Promise<FulfillmentResponse> {
    const fulfillment = await this.owned(id, caller);
    const clean: ShippingAddress = {
      name: address.name,
      line1: address.line1,
      ...(address.line2 ? { line2: address.line2 } : {}),
      city: address.city,
      state: address.state,
      postal_code: address.postal_code,
      ...(address.phone ? { phone: address.phone } : {}),
    };
    await this.unitOfWork.run(async () => {
      const moved = await this.fulfillments.move(id, ['winner_notified'], {
        status: 'address_confirmed',
        shippingAddress: this.box.seal(JSON.stringify(clean)),
        addressConfirmedAt: this.clock.now(),
      });
      if (!moved) {
        const now = await this.detailedOrFail(id);
        throw new ConflictError(`Cannot confirm an address for a prize that is ${now.status}`);
      }
      const url = this.link('/test/#admin');
      for (const to of await this.fulfillments.adminEmails()) {
        await this.queueEmail(to, 'prize_address_confirmed', {
          prize: fulfillment.prize!.name,
          drawing: fulfillment.ticket!.drawing!.name,
          url,
        });
      }
    });
    return this.toResponse(await this.detailedOrFail(id));
  }

  /** Admin status change along the workflow and/or notes. */
  async update(id: string, dto: UpdateFulfillmentDto, caller: Caller): Promise<FulfillmentResponse> {
    const before = await this.detailedOrFail(id);
    await this.unitOfWork.run(async () => {
      if (dto.status && dto.status !== before.status) {
        if (dto.status === 'shipped') {
          throw new ConflictError('Ship a prize with POST /admin/fulfillments/{id}/ship');
        }
        const from = ADMIN_MOVES[dto.status] ?? [];
        const now = this.clock.now();
        const moved =
          from.includes(before.status) &&
          (await this.fulfillments.move(id, [before.status], {
            status: dto.status,
            ...(dto.status === 'delivered' ? { deliveredAt: now } : {}),
            ...(dto.status === 'forfeited' ? { forfeitedAt: now } : {}),
            ...(dto.status === 'winner_notified' ? { notifiedAt: now } : {}),
          }));
        if (!moved) throw new ConflictError(`Cannot transition from ${before.status} to ${dto.status}`);
        if (dto.status === 'winner_notified') await this.notifyWinners([id]);
      }
      if (dto.notes !== undefined)
        await this.fulfillments.move(id, FULFILLMENT_STATUSES, { notes: dto.notes });
      await this.audit(caller, 'fulfillment.update', before);
    });
    return this.toResponse(await this.detailedOrFail(id));
  }

  /**
   * `address_confirmed` → `shipped` with carrier and tracking, the winner emailed. A reportable winner's
   * physical prize ships only once their W-9 is recorded (409 `W-9 required before shipping`).
   */
  async ship(id: string, dto: ShipFulfillmentDto, caller: Caller): Promise<FulfillmentResponse> {
    const before = await this.detailedOrFail(id);
    if (before.prize!.fulfillmentType !== 'physical') {
      throw new ConflictError('Digital prizes are emailed, not shipped');
    }
    if (before.status !== 'address_confirmed') {
      throw new ConflictError(
        `Cannot ship a prize that is ${before.status} (the winner confirms an address first)`,
      );
    }
    const year = new Date(before.notifiedAt ?? before.createdAt).getUTCFullYear();
    const standing = await this.yearStanding(before.userId, year);
    if (standing.reportable && !standing.w9Received) throw new ConflictError('W-9 required before shipping');
    await this.unitOfWork.run(async () => {
      const moved = await this.fulfillments.move(id, ['address_confirmed'], {
        status: 'shipped',
        carrier: dto.carrier,
        trackingNumber: dto.tracking_number,
        shippedAt: this.clock.now(),
      });
      if (!moved) throw new ConflictError('The prize changed meanwhile; reload and try again');
      const contact = await this.fulfillments.contactOf(before.userId);
      await this.queueEmail(contact.email, 'prize_shipped', {
        name: contact.displayName ?? 'there',
        prize: before.prize!.name,
        carrier: dto.carrier,
        trackingNumber: dto.tracking_number,
      });
      await this.audit(caller, 'fulfillment.ship', before);
    });
    return this.toResponse(await this.detailedOrFail(id));
  }

  /** Records that the winner's W-9 arrived (kept on this fulfillment; it counts for the winner's year). */
  async recordW9(id: string, caller: Caller): Promise<FulfillmentResponse> {
    const before = await this.detailedOrFail(id);
    await this.unitOfWork.run(async () => {
      await this.fulfillments.move(
        id,
        FULFILLMENT_STATUSES,
        { w9ReceivedAt: this.clock.now() },
        'w9_received_at IS NULL',
      );
      await this.audit(caller, 'fulfillment.w9', before);
    });
    return this.toResponse(await this.detailedOrFail(id));
  }

  /**
   * A forfeited prize's alternate winner, continuing the drawing's verifiable sequence (fair-draw.md,
   * Re-draws). 409 when it is not forfeited or already re-drawn; when no eligible owner remains the prize
   * goes back to the sponsor (committed), then 409.
   */
  async redraw(id: string, caller: Caller): Promise<FulfillmentResponse> {
    const before = await this.detailedOrFail(id);
    if (before.status !== 'forfeited') {
      throw new ConflictError(`Only a forfeited prize can be re-drawn (this one is ${before.status})`);
    }
    const drawingId = before.ticket!.drawingId;
    const alternate = await this.unitOfWork.run(async () => {
      if (await this.fulfillments.redrawOf(drawingId, before.ticket!.ticketNumber)) {
        throw new ConflictError('Prize already re-drawn');
      }
      const drawn = await this.execution.drawAlternate(
        drawingId,
        before.prizeId,
        before.ticket!.ticketNumber,
      );
      if (drawn) {
        await this.audit(caller, 'fulfillment.redraw', before, { alternate_fulfillment_id: drawn.id });
        return drawn;
      }
      if (await this.fulfillments.move(id, ['forfeited'], { status: 'returned_to_sponsor' })) {
        await this.audit(caller, 'fulfillment.return_to_sponsor', before);
      }
      return null;
    });
    if (!alternate) {
      throw new ConflictError('No eligible owner remains: the prize is returned to the sponsor');
    }
    return this.toResponse(await this.detailedOrFail(alternate.id));
  }

  /**
   * The deadline job: reminders 7 days after notification (once), forfeits at 14. Each is a conditional
   * update, so a repeated or concurrent run emails nobody twice.
   */
  async processDeadlines(): Promise<{ reminded: number; forfeited: number }> {
    const now = this.clock.now();
    let reminded = 0;
    let forfeited = 0;
    const forfeitBefore = new Date(now.getTime() - FORFEIT_AFTER_DAYS * DAY_MS);
    for (const f of await this.fulfillments.dueForfeits(forfeitBefore)) {
      const done = await this.unitOfWork.run(async () => {
        if (
          !(await this.fulfillments.move(f.id, ['winner_notified'], {
            status: 'forfeited',
            forfeitedAt: now,
          }))
        ) {
          return false;
        }
        const contact = await this.fulfillments.contactOf(f.userId);
        await this.queueEmail(contact.email, 'prize_forfeited', {
          name: contact.displayName ?? 'there',
          prize: f.prize!.name,
        });
        await this.auditLog.record(
          SYSTEM_PRINCIPAL,
          'fulfillment.forfeit',
          { type: 'fulfillment', id: f.id },
          snapshot(f),
          { ...snapshot(f), status: 'forfeited' },
        );
        return true;
      });
      if (done) forfeited++;
    }
    const remindBefore = new Date(now.getTime() - REMINDER_AFTER_DAYS * DAY_MS);
    for (const f of await this.fulfillments.dueReminders(remindBefore)) {
      const done = await this.unitOfWork.run(async () => {
        const claimed = await this.fulfillments.move(
          f.id,
          ['winner_notified'],
          { reminderSentAt: now },
          'reminder_sent_at IS NULL',
        );
        if (!claimed) return false;
        const contact = await this.fulfillments.contactOf(f.userId);
        const deadline = new Date(f.notifiedAt!).getTime() + FORFEIT_AFTER_DAYS * DAY_MS;
        await this.queueEmail(contact.email, 'prize_reminder', {
          name: contact.displayName ?? 'there',
          prize: f.prize!.name,
          url: this.claimUrl(f.id),
          daysLeft: Math.max(1, Math.ceil((deadline - now.getTime()) / DAY_MS)),
        });
        return true;
      });
      if (done) reminded++;
    }
    if (reminded || forfeited)
      this.logger.log(`Fulfillment deadlines: ${reminded} reminded, ${forfeited} forfeited`);
    return { reminded, forfeited };
  }

  /** A winner's prizes received (or on their way) in a calendar year, against the reporting threshold. */
  async yearStanding(userId: string, year: number) {
    const won = await this.fulfillments.wonBetween(
      new Date(Date.UTC(year, 0, 1)),
      new Date(Date.UTC(year + 1, 0, 1)),
      userId,
    );
    const total = won.reduce((sum, f) => sum + Number(f.prize!.valueUsd), 0);
    return {
      won,
      total,
      reportable: total >= this.config.prizeReportingThresholdUsd,
      w9Received: won.some((f) => f.w9ReceivedAt),
    };
  }

  /** Emails each newly awarded winner in the awarding unit of work: a claim link, or a digital prize's code. */
  private async notifyWinners(fulfillmentIds: string[]): Promise<void> {
    for (const id of fulfillmentIds) {
      const f = await this.detailedOrFail(id);
      const contact = await this.fulfillments.contactOf(f.userId);
      const name = contact.displayName ?? 'there';
      const drawing = f.ticket!.drawing!.name;
      if (f.prize!.fulfillmentType === 'digital') {
        const code =
          (await this.fulfillments.digitalCode(f.prizeId)) ?? 'sent to you separately by the sponsor';
        await this.queueEmail(contact.email, 'prize_digital', { name, prize: f.prize!.name, drawing, code });
      } else {
        await this.queueEmail(contact.email, 'prize_won', {
          name,
          prize: f.prize!.name,
          drawing,
          url: this.claimUrl(id),
          days: FORFEIT_AFTER_DAYS,
        });
      }
    }
  }

  /** Records the email now, queues its delivery once the unit of work commits. */
  private async queueEmail<T extends EmailTemplateName>(
    to: string,
    template: T,
    data: Parameters<(typeof TEMPLATES)[T]>[0],
  ): Promise<void> {
    const outboxId = await this.email.record(to, template, data);
    await this.unitOfWork.afterCommit(() => this.email.dispatch(outboxId));
  }

  private claimUrl(id: string): string {
    return this.link(this.config.claimUrl.replace('{fulfillment_id}', id));
  }

  private link(path: string): string {
    return path.startsWith('/') ? `${this.config.publicBaseUrl}${path}` : path;
  }

  private async audit(
    caller: Caller,
    action: string,
    before: PrizeFulfillment,
    extra: Record<string, unknown> = {},
  ): Promise<void> {
    const after = await this.detailedOrFail(before.id);
    await this.auditLog.record(caller, action, { type: 'fulfillment', id: before.id }, snapshot(before), {
      ...snapshot(after),
      ...extra,
    });
  }

  /** The caller's own fulfillment; anyone else's does not exist for them. */
  private async owned(id: string, caller: Caller): Promise<PrizeFulfillment> {
    const fulfillment = await this.fulfillments.detailed(id);
    if (!fulfillment || fulfillment.userId !== userIdOf(caller)) throw new NotFoundError('Fulfillment');
    return fulfillment;
  }

  private async detailedOrFail(id: string): Promise<PrizeFulfillment> {
    const fulfillment = await this.fulfillments.detailed(id);
    if (!fulfillment) throw new NotFoundError('Fulfillment');
    return fulfillment;
  }

  toResponse(f: PrizeFulfillment): FulfillmentResponse {
    const notified = f.notifiedAt ? new Date(f.notifiedAt) : null;
    return {
      id: f.id,
      drawing_id: f.ticket!.drawingId,
      drawing_name: f.ticket!.drawing!.name,
      prize_id: f.prizeId,
      prize_rank: f.prize!.rank,
      prize_name: f.prize!.name,
      prize_value_usd: Number(f.prize!.valueUsd),
      fulfillment_type: f.prize!.fulfillmentType,
      user_id: f.userId,
      status: f.status,
      shipping_address: f.shippingAddress
        ? (JSON.parse(this.box.open(f.shippingAddress)) as ShippingAddress)
        : null,
      carrier: f.carrier,
      tracking_number: f.trackingNumber,
      notes: f.notes,
      notified_at: iso(notified),
      claim_deadline:
        notified && f.status === 'winner_notified'
          ? new Date(notified.getTime() + FORFEIT_AFTER_DAYS * DAY_MS).toISOString()
          : null,
      reminder_sent_at: iso(f.reminderSentAt),
      address_confirmed_at: iso(f.addressConfirmedAt),
      shipped_at: iso(f.shippedAt),
      delivered_at: iso(f.deliveredAt),
      forfeited_at: iso(f.forfeitedAt),
      w9_received_at: iso(f.w9ReceivedAt),
    };
  }
}
