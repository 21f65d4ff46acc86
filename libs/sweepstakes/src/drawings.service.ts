import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import {
  type Caller,
  ConflictError,
  describeFieldErrors,
  type FieldError,
  hasFullAccess,
  LIST_ALIAS,
  NotFoundError,
  type Page,
  sha256Hex,
  UnitOfWork,
  UnprocessableError,
  userIdOf,
} from '@fittrack/core';
import { DrawingsRepository } from './drawings.repository';
import type { Drawing, DrawingStatus } from './entities/drawing.entity';
import type { Prize } from './entities/prize.entity';
import { canTransition, EDITABLE_STATUSES } from './drawing-state';
import type {
  CreateDrawingDto,
  ListDrawingsQueryDto,
  PrizeInputDto,
  UpdateDrawingDto,
} from './dto/drawings.dto';

/** Drawing administration and reads; ticket sales and the draw itself live elsewhere. */
@Injectable()
export class DrawingsService {
  constructor(
    private readonly drawings: DrawingsRepository,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  /** Non-admins never see drafts. */
  async list(query: ListDrawingsQueryDto, caller: Caller): Promise<Page<Drawing>> {
    const hideDrafts = !hasFullAccess(caller);
    return this.drawings.list(query, (qb) => {
      if (hideDrafts) qb.andWhere(`${LIST_ALIAS}.status <> :draft`, { draft: 'draft' });
    });
  }

  async get(id: string, caller: Caller): Promise<Drawing> {
    const drawing = await this.drawings.get(id);
    if (!drawing || (drawing.status === 'draft' && !hasFullAccess(caller))) {
      throw new NotFoundError('Drawing');
    }
    return drawing;
  }

  async create(dto: CreateDrawingDto, caller: Caller): Promise<Drawing> {
    const times = this.checkTimes(dto.opens_at, dto.ticket_sales_close, dto.drawing_time);
    await this.checkPrizes(dto.prizes);
    const prizes = dto.prizes.map(toPrizeEntity);
    return this.unitOfWork.run(() =>
      this.drawings.createWithPrizes(
        {
          drawingType: dto.drawing_type,
          name: dto.name,
          description: dto.description ?? null,
          ticketCostPoints: dto.ticket_cost_points,
          ...times,
          status: 'draft',
          eligibility: dto.eligibility
            ? {
                user_type: dto.eligibility.user_type,
                min_account_age_days: dto.eligibility.min_account_age_days,
              }
            : { user_type: 'all', min_account_age_days: 0 },
          createdBy: userIdOf(caller),
        },
        prizes,
      ),
    );
  }

  /** Field edits while draft or scheduled; a status change must follow the state machine (else 409). */
  async update(id: string, dto: UpdateDrawingDto, caller: Caller): Promise<Drawing> {
    const drawing = await this.get(id, caller);
    const { status, prizes, ...fields } = dto;
    const editsFields = prizes !== undefined || Object.values(fields).some((value) => value !== undefined);
    if (editsFields && !EDITABLE_STATUSES.includes(drawing.status)) {
      throw new ConflictError(
        `Drawing can only be edited while draft or scheduled (it is ${drawing.status})`,
      );
    }
    if (editsFields) {
      Object.assign(
        drawing,
        this.checkTimes(
          dto.opens_at ?? drawing.opensAt,
          dto.ticket_sales_close ?? drawing.ticketSalesClose,
          dto.drawing_time ?? drawing.drawingTime,
        ),
      );
      if (dto.name !== undefined) drawing.name = dto.name;
      if (dto.description !== undefined) drawing.description = dto.description ?? null;
      if (dto.ticket_cost_points !== undefined) drawing.ticketCostPoints = dto.ticket_cost_points;
      if (dto.eligibility !== undefined) {
        drawing.eligibility = {
          user_type: dto.eligibility.user_type,
          min_account_age_days: dto.eligibility.min_account_age_days,
        };
      }
      if (prizes) await this.checkPrizes(prizes);
    }
    if (status !== undefined && status !== drawing.status) this.transition(drawing, status);
    return this.unitOfWork.run(() => this.drawings.saveWithPrizes(drawing, prizes?.map(toPrizeEntity)));
  }

  private transition(drawing: Drawing, to: DrawingStatus): void {
    const from = drawing.status;
    if (!canTransition(from, to)) throw new ConflictError(`Cannot transition from ${from} to ${to}`);
    // Completion is the draw itself (POST /admin/drawings/{id}/execute), never a bare status change.
    if (to === 'completed') throw new ConflictError('A drawing is completed by executing it');
    // Cancelling with tickets sold must refund them (POST /admin/drawings/{id}/cancel).
    if (to === 'cancelled' && drawing.totalTickets > 0) {
      throw new ConflictError('Drawing has tickets; cancel it through the cancel endpoint to refund them');
    }
    if (to === 'scheduled' && !drawing.seedCommitment) {
      // Commit to the secret seed before any ticket can exist; the seed is revealed after the draw.
      const seed = randomBytes(32);
      drawing.seed = seed.toString('hex');
      drawing.seedCommitment = sha256Hex(seed);
    }
    drawing.status = to;
  }

  private checkTimes(opens: string | Date, close: string | Date, draw: string | Date) {
    const opensAt = new Date(opens);
    const ticketSalesClose = new Date(close);
    const drawingTime = new Date(draw);
    const errors: FieldError[] = [];
    if (ticketSalesClose >= drawingTime) {
      errors.push({ field: 'ticket_sales_close', message: 'Sales close time must be before drawing time' });
    }
    if (opensAt >= ticketSalesClose) {
      errors.push({ field: 'opens_at', message: 'Opening time must be before sales close time' });
    }
    if (errors.length) throw new UnprocessableError(describeFieldErrors(errors), errors);
    return { opensAt, ticketSalesClose, drawingTime };
  }

  private async checkPrizes(prizes: PrizeInputDto[]): Promise<void> {
    const ranks = prizes.map((prize) => prize.rank).sort((a, b) => a - b);
    if (ranks.some((rank, index) => rank !== index + 1)) {
      throw new UnprocessableError('Prize ranks must be 1..n without gaps or repeats', [
        { field: 'prizes', message: 'ranks must be 1..n without gaps or repeats' },
      ]);
    }
    const sponsorIds = [
      ...new Set(prizes.map((prize) => prize.sponsor_id).filter((id): id is string => !!id)),
    ];
    if (sponsorIds.length && (await this.drawings.countSponsors(sponsorIds)) !== sponsorIds.length) {
      throw new UnprocessableError('Unknown sponsor', [
        { field: 'prizes.sponsor_id', message: 'Unknown sponsor' },
      ]);
    }
  }
}

function toPrizeEntity(prize: PrizeInputDto): Partial<Prize> {
  return {
    rank: prize.rank,
    name: prize.name,
    description: prize.description ?? null,
    valueUsd: prize.value_usd.toFixed(2),
    fulfillmentType: prize.fulfillment_type,
    sponsorId: prize.sponsor_id ?? null,
    digitalCode: prize.digital_code ?? null,
  };
}
