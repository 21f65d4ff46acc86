import { Column, Entity, Index } from 'typeorm';
import { BaseEntity, columnTypes } from '@fittrack/core';

const types = columnTypes();

/** One admin action on a drawing, prize or fulfillment. Append-only: nothing updates or deletes a row. */
@Entity('audit_log')
@Index('ix_audit_log_entity', ['entityType', 'entityId'])
@Index('ix_audit_log_created', ['createdAt'])
export class AuditLogEntry extends BaseEntity {
  /** The admin; null for the system (scheduler, jobs, CLI). */
  @Column({ type: 'varchar', length: 36, nullable: true })
  actorId!: string | null;

  @Column({ type: 'varchar', length: 40 })
  action!: string;

  @Column({ type: 'varchar', length: 30 })
  entityType!: string;

  @Column({ type: 'varchar', length: 36 })
  entityId!: string;

  @Column({ type: types.json, nullable: true })
  beforeState!: Record<string, unknown> | null;

  @Column({ type: types.json, nullable: true })
  afterState!: Record<string, unknown> | null;
}
