import { Injectable } from '@nestjs/common';
import { BaseRepository, DataContext } from '@fittrack/core';
import { Sponsor } from '@fittrack/sweepstakes';

@Injectable()
export class SponsorsRepository extends BaseRepository<Sponsor> {
  protected readonly entityName = 'Sponsor';

  constructor(data: DataContext) {
    super(data, Sponsor, {
      filters: {
        is_active: (qb, value) => qb.andWhere('e.is_active = :active', { active: value === 'true' }),
      },
      sorts: { name: 'name', created_at: 'createdAt' },
      defaultSort: 'name',
    });
  }
}
