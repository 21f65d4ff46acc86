import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { BaseRepository, DataContext } from '@fittrack/core';
import { Drawing } from './entities/drawing.entity';
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

  /** Saves the edited drawing; when `prizes` is given it replaces the prize list (in the caller's unit of work). */
  async saveWithPrizes(drawing: Drawing, prizes?: Array<Partial<Prize>>): Promise<Drawing> {
    const manager = this.manager;
    const { prizes: _loaded, ...columns } = drawing;
    await manager.save(Object.assign(manager.create(Drawing), columns));
    if (prizes) {
      await manager.delete(Prize, { drawingId: drawing.id });
      await manager.save(prizes.map((prize) => manager.create(Prize, { ...prize, drawingId: drawing.id })));
    }
    return this.getOrFail(drawing.id);
  }
}
