import { randomUUID } from 'node:crypto';
import {
  BeforeInsert,
  BeforeUpdate,
  CreateDateColumn,
  DeleteDateColumn,
  PrimaryColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import { columnTypes } from './dialect';

const types = columnTypes();

/** UUID primary key (generated in the app, so every database stores the same varchar(36)) and creation time. */
export abstract class BaseEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @CreateDateColumn({ type: types.timestamp })
  createdAt!: Date;

  /** Set here rather than by column defaults: SQLite's default has whole-second precision. */
  @BeforeInsert()
  protected assignIdentity(): void {
    this.id ??= randomUUID();
    this.createdAt ??= new Date();
  }
}

/** Mutable aggregates: update time and optimistic locking. */
export abstract class MutableEntity extends BaseEntity {
  @UpdateDateColumn({ type: types.timestamp })
  updatedAt!: Date;

  @VersionColumn({ default: 1 })
  version!: number;

  @BeforeInsert()
  @BeforeUpdate()
  protected touch(): void {
    this.updatedAt = new Date();
  }
}

/** Aggregates that are soft deleted: the row stays, with deleted_at set, and disappears from reads. */
export abstract class SoftDeletableEntity extends MutableEntity {
  @DeleteDateColumn({ type: types.timestamp, nullable: true })
  deletedAt!: Date | null;
}
