import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';
import { DbType } from '@fittrack/core';
import { schemaBuilder } from './schema-builder';

const dbOf = (queryRunner: QueryRunner): DbType => {
  const type = queryRunner.connection.options.type;
  return type === 'postgres' || type === 'oracle' ? type : 'sqlite';
};

/**
 * A unique index over live rows only (deleted_at IS NULL): partial on SQLite and PostgreSQL; on Oracle a
 * function-based index whose keys are NULL for deleted rows (Oracle does not index all-NULL keys).
 */
function liveUniqueIndex(db: DbType, name: string, columns: string[]): string {
  const keys =
    db === 'oracle'
      ? columns.map((c) => `CASE WHEN "deleted_at" IS NULL THEN "${c}" END`).join(', ')
      : columns.map((c) => `"${c}"`).join(', ');
  const where = db === 'oracle' ? '' : ' WHERE "deleted_at" IS NULL';
  return `CREATE UNIQUE INDEX "${name}" ON "tracker_connections" (${keys})${where}`;
}

const RELAXED = [
  { name: 'uq_tracker_connections_user_provider', columns: ['user_id', 'provider'] },
  { name: 'uq_tracker_connections_terra_user', columns: ['terra_user_id'] },
];

/**
 * Terra sync: a deleted connection no longer blocks reconnecting (unique keys over live rows), connections
 * Terra refused wait for the user (`reconnect_required`), provider data is stored encrypted with its key
 * id, and verified webhook deliveries are kept once each (`terra_webhook_events`).
 */
export class TrackerSync1764310000000 implements MigrationInterface {
  name = 'TrackerSync1764310000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const db = dbOf(queryRunner);
    const s = schemaBuilder(db);
    const columns = [
      s.bool('reconnect_required', false),
      s.text('provider_data_encrypted'),
      s.varchar('encryption_key_id', 32, { isNullable: true }),
    ].map((column) => ({ ...column, isNullable: column.default === undefined }));
    if (db === 'sqlite') {
      // TypeORM adds SQLite columns by copying the table (which activities reference); ADD COLUMN keeps it.
      for (const column of columns) {
        const type = column.length ? `${column.type}(${column.length})` : column.type;
        const fallback = column.default === undefined ? '' : ` NOT NULL DEFAULT ${String(column.default)}`;
        await queryRunner.query(
          `ALTER TABLE "tracker_connections" ADD COLUMN "${column.name}" ${type}${fallback}`,
        );
      }
    } else {
      await queryRunner.addColumns(
        'tracker_connections',
        columns.map((column) => new TableColumn(column)),
      );
    }
    for (const index of RELAXED) {
      await queryRunner.query(`DROP INDEX "${index.name}"`);
      await queryRunner.query(liveUniqueIndex(db, index.name, index.columns));
    }
    await queryRunner.query(
      `CREATE INDEX "ix_tracker_connections_due" ON "tracker_connections" ("reconnect_required", "last_sync_at")`,
    );

    await queryRunner.createTable(
      new Table({
        name: 'terra_webhook_events',
        columns: [
          s.id(),
          s.varchar('body_hash', 64),
          s.varchar('event_type', 32),
          s.varchar('terra_user_id', 64, { isNullable: true }),
          s.varchar('terra_reference', 128, { isNullable: true }),
          s.varchar('trace_id', 128, { isNullable: true }),
          { ...s.text('payload'), isNullable: true },
          s.varchar('status', 10, { default: "'received'" }),
          s.timestamp('processed_at', true),
          ...s.audit('created'),
        ],
        indices: [
          s.index('uq_terra_webhook_events_body', ['body_hash'], true),
          s.index('ix_terra_webhook_events_status', ['status']),
        ],
      }),
      false,
      true,
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const db = dbOf(queryRunner);
    await queryRunner.dropTable('terra_webhook_events');
    await queryRunner.query(`DROP INDEX "ix_tracker_connections_due"`);
    for (const index of RELAXED) {
      await queryRunner.query(`DROP INDEX "${index.name}"`);
      const columns = index.columns.map((c) => `"${c}"`).join(', ');
      await queryRunner.query(`CREATE UNIQUE INDEX "${index.name}" ON "tracker_connections" (${columns})`);
    }
    for (const column of ['encryption_key_id', 'provider_data_encrypted', 'reconnect_required']) {
      if (db === 'sqlite')
        await queryRunner.query(`ALTER TABLE "tracker_connections" DROP COLUMN "${column}"`);
      else await queryRunner.dropColumn('tracker_connections', column);
    }
  }
}
