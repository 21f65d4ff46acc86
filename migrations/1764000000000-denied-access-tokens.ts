import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { DbType } from '@fittrack/core';
import { schemaBuilder } from './schema-builder';

/**
 * The access-token deny-list's source of truth (Redis, when configured, is only a cache in front): `id` is
 * the token's jti; rows are pruned after `expires_at`.
 */
export class DeniedAccessTokens1764000000000 implements MigrationInterface {
  name = 'DeniedAccessTokens1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const type = queryRunner.connection.options.type;
    const db: DbType = type === 'postgres' || type === 'oracle' ? type : 'sqlite';
    const s = schemaBuilder(db);
    await queryRunner.createTable(
      new Table({
        name: 'denied_access_tokens',
        columns: [s.id(), s.timestamp('expires_at'), ...s.audit('created')],
        indices: [s.index('ix_denied_access_tokens_expires', ['expires_at'])],
      }),
      false,
      true,
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('denied_access_tokens');
  }
}
