import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * Indexes that serve the default list orders without a sort, ids only (the deferred join loads rows
 * afterwards): live users newest first, and activities of one type by start time. Without them every
 * page of GET /users sorts the whole table (docs/benchmarks.md, "List").
 */
export class ListIndexes1763900000000 implements MigrationInterface {
  name = 'ListIndexes1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'users',
      // deleted_at last: the index covers the live-users scan, yet never attracts `deleted_at IS NULL`
      // lookups by id (leading with it made SQLite scan every live user to load a page's 20 rows).
      new TableIndex({ name: 'ix_users_created_live', columnNames: ['created_at', 'id', 'deleted_at'] }),
    );
    await queryRunner.createIndex(
      'activities',
      new TableIndex({
        name: 'ix_activities_type_start_id',
        columnNames: ['activity_type', 'start_time', 'id'],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('activities', 'ix_activities_type_start_id');
    await queryRunner.dropIndex('users', 'ix_users_created_live');
  }
}
