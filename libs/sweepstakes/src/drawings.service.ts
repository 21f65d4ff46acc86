import { Injectable } from '@nestjs/common';
import {
  type Caller,
  ConflictError,
  describeFieldErrors,
  type FieldError,
  hasFullAccess,
  LIST_ALIAS,
  NotFoundError,
  type Page,
  UnitOfWork,
  UnprocessableError,
  userIdOf,
} from '@fittrack/core';
import { DrawingsRepository } from './drawings.repository';
import { DrawingExecutionService } from './draw/drawing-execution.service';
import { BeaconService } from './draw/beacon';
import type { Drawing } from './entities/drawing.entity';
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
    private readonly lifecycle: DrawingExecutionService,
    private readonly beacon: BeaconService,
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
    return this.unitOfWork.run(async () => {
      const created = await this.drawings.createWithPrizes(
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
      );
      await this.lifecycle.audited(caller, 'drawing.create', null, created);
      return created;
    });
  }

  /**
   * Field edits while draft or scheduled; a status change must follow the state machine (else 409) and
   * goes through the lifecycle (seed commitment, ticket list hash, refunds). Edits never write the status
   * or `total_tickets`, and only apply while the drawing is still editable (a conditional update).
   */
  async update(id: string, dto: UpdateDrawingDto, caller: Caller): Promise<Drawing> {
    const drawing = await this.get(id, caller);
    const { status, prizes, ...fields } = dto;
    const editsFields = prizes !== undefined || Object.values(fields).some((value) => value !== undefined);
    if (status !== undefined && status !== drawing.status) {
      if (!canTransition(drawing.status, status)) {
        throw new ConflictError(`Cannot transition from ${drawing.status} to ${status}`);
      }
      if (status === 'completed') throw new ConflictError('A drawing is completed by executing it');
    }
    if (editsFields) {
      if (!EDITABLE_STATUSES.includes(drawing.status)) {
        throw new ConflictError(
          `Drawing can only be edited while draft or scheduled (it is ${drawing.status})`,
        );
      }
      const patch: Partial<Drawing> = this.checkTimes(
        dto.opens_at ?? drawing.opensAt,
        dto.ticket_sales_close ?? drawing.ticketSalesClose,
        dto.drawing_time ?? drawing.drawingTime,
      );
      // Still scheduled (no ticket exists): a moved drawing time moves the published beacon round with it.
      if (drawing.beaconRound) patch.beaconRound = String(this.beacon.roundFor(patch.drawingTime!));
      if (dto.name !== undefined) patch.name = dto.name;
      if (dto.description !== undefined) patch.description = dto.description ?? null;
      if (dto.ticket_cost_points !== undefined) patch.ticketCostPoints = dto.ticket_cost_points;
      if (dto.eligibility !== undefined) {
        patch.eligibility = {
          user_type: dto.eligibility.user_type,
          min_account_age_days: dto.eligibility.min_account_age_days,
        };
      }
      if (prizes) await this.checkPrizes(prizes);
      await this.unitOfWork.run(async () => {
        if (!(await this.drawings.saveFields(id, EDITABLE_STATUSES, patch, prizes?.map(toPrizeEntity)))) {
          throw new ConflictError('Drawing can only be edited while draft or scheduled');
        }
        await this.lifecycle.audited(caller, 'drawing.edit', drawing, await this.drawings.getOrFail(id));
      });
    }
    if (status !== undefined && status !== drawing.status)
      await this.lifecycle.transition(id, status, caller);
    return this.drawings.getOrFail(id);
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
