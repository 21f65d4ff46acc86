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
      new TableIndex({ name: 'ix_users_live_created', columnNames: ['deleted_at', 'created_at', 'id'] }),
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
    await queryRunner.dropIndex('users', 'ix_users_live_created');
  }
}
