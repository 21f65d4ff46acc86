import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { BaseRepository, DataContext } from '@fittrack/core';
import { Drawing, type DrawingStatus } from './entities/drawing.entity';
import { Prize } from './entities/prize.entity';
import { Sponsor } from './entities/sponsor.entity';

/** Drawings with their prizes (one aggregate). Prize digital codes are never loaded here. */
@Injectable()
export class DrawingsRepository extends BaseRepository<Drawing> {
  protected readonly entityName = 'Drawing';

  constructor(data: DataContext) {
    super(data, Drawing, {
      filters: { status: 'status', drawing_type: 'drawingType' },
      sorts: { drawing_time: 'drawingTime', created_at: 'createdAt' },
      defaultSort: '-drawing_time',
    });
  }

  override get(id: string): Promise<Drawing | null> {
    return this.repository.findOne({
      where: { id },
      relations: { prizes: true },
      order: { prizes: { rank: 'ASC' } },
    });
  }

  protected override loadByIds(ids: string[]): Promise<Drawing[]> {
    return this.repository.find({
      where: { id: In(ids) },
      relations: { prizes: true },
      order: { prizes: { rank: 'ASC' } },
    });
  }

  /** How many of these sponsors exist (and are not deleted). */
  countSponsors(ids: string[]): Promise<number> {
    return this.manager.getRepository(Sponsor).countBy({ id: In(ids) });
  }

  /** Inserts the drawing and its prizes (callers run it in a unit of work). */
  async createWithPrizes(drawing: Partial<Drawing>, prizes: Array<Partial<Prize>>): Promise<Drawing> {
    const manager = this.manager;
    const saved = await manager.save(manager.create(Drawing, drawing));
    await manager.save(prizes.map((prize) => manager.create(Prize, { ...prize, drawingId: saved.id })));
    return this.getOrFail(saved.id);
  }

  /**
   * Applies field edits (never status or total_tickets) while the drawing is in one of `editable`; when
   * `prizes` is given it replaces the prize list. False when the drawing left those states meanwhile.
   */
  async saveFields(
    id: string,
    editable: readonly DrawingStatus[],
    patch: Partial<Drawing>,
    prizes?: Array<Partial<Prize>>,
  ): Promise<boolean> {
    const manager = this.manager;
    const result = await manager
      .createQueryBuilder()
      .update(Drawing)
      .set(patch as never)
      .where('id = :id AND status IN (:...editable)', { id, editable: [...editable] })
      .execute();
    if (result.affected !== 1) return false;
    if (prizes) {
      await manager.delete(Prize, { drawingId: id });
      await manager.save(prizes.map((prize) => manager.create(Prize, { ...prize, drawingId: id })));
    }
    return true;
  }
}
