import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntitySubscriberInterface, InsertEvent, ObjectLiteral, UpdateEvent } from 'typeorm';
import { Clock } from '../clock/clock';

/**
 * Stamps `created_at`/`updated_at` from the injectable clock on every insert and update, whether it comes
 * from `save()` or a query builder, so a test that moves the clock sees consistent times (and the
 * database's own clock never decides a stored time).
 */
@Injectable()
export class ClockTimestampsSubscriber implements EntitySubscriberInterface {
  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly clock: Clock,
  ) {
    dataSource.subscribers.push(this);
  }

  beforeInsert({ entity, metadata }: InsertEvent<ObjectLiteral>): void {
    if (!entity) return;
    const now = this.clock.now();
    for (const column of [metadata.createDateColumn, metadata.updateDateColumn]) {
      if (column) entity[column.propertyName] ??= now;
    }
  }

  beforeUpdate({ entity, metadata }: UpdateEvent<ObjectLiteral>): void {
    const column = metadata.updateDateColumn;
    if (entity && column) entity[column.propertyName] = this.clock.now();
  }
}
