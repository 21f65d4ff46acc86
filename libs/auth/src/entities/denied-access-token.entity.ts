import { Column, Entity, Index } from 'typeorm';
import { BaseEntity, columnTypes } from '@fittrack/core';

const types = columnTypes();

/**
 * An access token refused before its expiry (logout, password change, refresh-token reuse): `id` is the
 * token's `jti`. The source of truth of the deny-list; rows are pruned once the token has expired anyway.
 */
@Entity('denied_access_tokens')
export class DeniedAccessToken extends BaseEntity {
  @Index('ix_denied_access_tokens_expires')
  @Column({ type: types.timestamp })
  expiresAt!: Date;
}
