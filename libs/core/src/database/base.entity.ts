import { randomUUID } from 'node:crypto';
import {
  BeforeInsert,
  CreateDateColumn,
  DeleteDateColumn,
  PrimaryColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import { columnTypes } from './dialect';

const types = columnTypes();

/**
 * UUID primary key (generated in the app, so every database stores the same varchar(36)) and creation time.
 * Times come from the injectable clock (ClockTimestampsSubscriber), never the database's or `new Date()`.
 */
export abstract class BaseEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @CreateDateColumn({ type: types.timestamp })
  createdAt!: Date;

  @BeforeInsert()
  protected assignIdentity(): void {
    this.id ??= randomUUID();
  }
}

/** Mutable aggregates: update time and optimistic locking. */
export abstract class MutableEntity extends BaseEntity {
  @UpdateDateColumn({ type: types.timestamp })
  updatedAt!: Date;

  @VersionColumn({ default: 1 })
  version!: number;
}

/** Aggregates that are soft deleted: the row stays, with deleted_at set, and disappears from reads. */
export abstract class SoftDeletableEntity extends MutableEntity {
  @DeleteDateColumn({ type: types.timestamp, nullable: true })
  deletedAt!: Date | null;
}
