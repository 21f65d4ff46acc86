import { Column, Entity, Index } from 'typeorm';
import { SoftDeletableEntity } from '@fittrack/core';

@Entity('sponsors')
export class Sponsor extends SoftDeletableEntity {
  @Index('uq_sponsors_name', { unique: true })
  @Column({ type: 'varchar', length: 120 })
  name!: string;

  @Column({ type: 'varchar', length: 254, nullable: true })
  contactEmail!: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  websiteUrl!: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  logoUrl!: string | null;

  @Column({ default: true })
  isActive!: boolean;
}
