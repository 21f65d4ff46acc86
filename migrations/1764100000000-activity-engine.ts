import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';
import { DbType } from '@fittrack/core';
import { schemaBuilder } from './schema-builder';

const dbOf = (queryRunner: QueryRunner): DbType => {
  const type = queryRunner.connection.options.type;
  return type === 'postgres' || type === 'oracle' ? type : 'sqlite';
};

/** A timestamp's UTC calendar date, per dialect: the day of rows stored before the engine existed. */
const UTC_DATE: Record<DbType, string> = {
  sqlite: 'substr("start_time", 1, 10)',
  postgres: `to_char("start_time" AT TIME ZONE 'UTC', 'YYYY-MM-DD')`,
  oracle: `TO_CHAR(SYS_EXTRACT_UTC("start_time"), 'YYYY-MM-DD')`,
};

const COLUMNS = [
  'day',
  'local_date',
  'utc_offset_minutes',
  'multiplier_pct',
  'upload_source',
  'review_status',
  'is_withdrawn',
  'payments',
];

/**
 * What the points engine keeps per activity (its day, the multiplier it keeps, upload source, review and
 * withdrawal state, the count of ledger postings) and the admin queue of implausible activities.
 */
export class ActivityEngine1764100000000 implements MigrationInterface {
  name = 'ActivityEngine1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const db = dbOf(queryRunner);
    const s = schemaBuilder(db);
    const columns = [
      // Nullable only so existing rows can be backfilled below; the engine always sets it.
      s.varchar('day', 10, { isNullable: true }),
      s.varchar('local_date', 10, { isNullable: true }),
      s.int('utc_offset_minutes', { isNullable: true }),
      s.int('multiplier_pct', { default: 100 }),
      s.varchar('upload_source', 10, { default: "'automatic'" }),
      s.varchar('review_status', 10, { default: "'none'" }),
      s.bool('is_withdrawn', false),
      s.int('payments', { default: 0 }),
    ];
    if (db === 'sqlite') {
      // TypeORM adds SQLite columns by copying the table, which cannot carry the expression index on
      // metrics.steps; SQLite's own ADD COLUMN keeps the table as it is.
      for (const column of columns) {
        const type = column.length ? `${column.type}(${column.length})` : column.type;
        const fallback = column.default === undefined ? '' : ` NOT NULL DEFAULT ${String(column.default)}`;
        await queryRunner.query(`ALTER TABLE "activities" ADD COLUMN "${column.name}" ${type}${fallback}`);
      }
    } else {
      await queryRunner.addColumns(
        'activities',
        columns.map((column) => new TableColumn(column)),
      );
    }
    await queryRunner.query(`UPDATE "activities" SET "day" = ${UTC_DATE[db]}`);
    await queryRunner.createIndex('activities', s.index('ix_activities_user_day', ['user_id', 'day']));

    await queryRunner.createTable(
      new Table({
        name: 'activity_flags',
        columns: [
          s.id(),
          s.uuid('activity_id'),
          s.uuid('user_id'),
          s.json('reasons'),
          s.varchar('status', 10, { default: "'open'" }),
          s.uuid('decided_by', true),
          s.timestamp('decided_at', true),
          ...s.audit('mutable'),
        ],
        indices: [
          s.index('uq_activity_flags_activity', ['activity_id'], true),
          s.index('ix_activity_flags_status', ['status', 'created_at']),
          s.index('ix_activity_flags_user', ['user_id']),
        ],
        foreignKeys: [
          s.fk('fk_activity_flags_activity', 'activity_id', 'activities', 'CASCADE'),
          s.fk('fk_activity_flags_user', 'user_id', 'users', 'CASCADE'),
        ],
        checks: [s.check('ck_activity_flags_status', `"status" IN ('open', 'approved', 'rejected')`)],
      }),
      false,
      true,
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('activity_flags');
    await queryRunner.dropIndex('activities', 'ix_activities_user_day');
    for (const column of COLUMNS) {
      // SQLite (3.35+) drops a column in place; TypeORM's table copy would lose the expression index.
      if (dbOf(queryRunner) === 'sqlite')
        await queryRunner.query(`ALTER TABLE "activities" DROP COLUMN "${column}"`);
      else await queryRunner.dropColumn('activities', column);
    }
  }
}
