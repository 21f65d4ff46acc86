import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { DbType } from '@fittrack/core';
import { schemaBuilder } from './schema-builder';

/**
 * Per-user, per-period earning for the boards. The rank index orders a board's rows exactly as it ranks
 * them (points descending, then reached_at, then user id), so a top-N page is a range scan and a rank is a
 * counted range. Written with raw SQL because the table API has no per-column direction; the statement
 * is the same on SQLite, PostgreSQL and Oracle.
 */
export class LeaderboardRollups1764250000000 implements MigrationInterface {
  name = 'LeaderboardRollups1764250000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const type = queryRunner.connection.options.type;
    const s = schemaBuilder((type === 'postgres' || type === 'oracle' ? type : 'sqlite') as DbType);
    await queryRunner.createTable(
      new Table({
        name: 'leaderboard_rollups',
        columns: [
          { ...s.uuid('user_id'), isPrimary: true },
          { ...s.varchar('period_key', 20), isPrimary: true },
          s.varchar('tier_code', 12, { isNullable: true }),
          s.int('points'),
          s.timestamp('reached_at'),
        ],
        foreignKeys: [s.fk('fk_leaderboard_rollups_user', 'user_id', 'users', 'CASCADE')],
      }),
    );
    await queryRunner.query(
      `CREATE INDEX "ix_leaderboard_rollups_rank" ON "leaderboard_rollups"
        ("tier_code", "period_key", "points" DESC, "reached_at", "user_id")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('leaderboard_rollups');
  }
}
