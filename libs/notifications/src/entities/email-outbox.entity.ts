import { Column, Entity, Index } from 'typeorm';
import { columnTypes, MutableEntity } from '@fittrack/core';

const types = columnTypes();

/** `sending` while one worker holds the row (claimed): no other worker sends it. */
export const EMAIL_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

/** Every outgoing email, written in the same transaction as the change that caused it. */
@Entity('email_outbox')
@Index('ix_email_outbox_to_created', ['toAddress', 'createdAt'])
@Index('ix_email_outbox_status', ['status'])
export class EmailOutbox extends MutableEntity {
  @Column({ type: 'varchar', length: 254 })
  toAddress!: string;

  @Column({ type: 'varchar', length: 200 })
  subject!: string;

  @Column({ type: 'varchar', length: 40 })
  template!: string;

  @Column({ type: types.text })
  bodyText!: string;

  @Column({ type: types.text })
  bodyHtml!: string;

  @Column({ type: 'varchar', length: 8, default: 'pending' })
  status!: EmailStatus;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  lastError!: string | null;

  @Column({ type: types.timestamp, nullable: true })
  sentAt!: Date | null;
}
