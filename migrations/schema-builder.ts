import {
  QueryRunner,
  TableCheck,
  TableColumn,
  TableColumnOptions,
  TableForeignKey,
  TableIndex,
} from 'typeorm';
import { columnTypes, DbType } from '@fittrack/core';

type OnDelete = 'CASCADE' | 'RESTRICT' | 'SET NULL';

/**
 * Column and constraint builders for migrations written with the QueryRunner table API, so the same
 * migration runs on SQLite, PostgreSQL and Oracle. Types come from the one dialect helper.
 */
export function schemaBuilder(db: DbType) {
  const types = columnTypes(db);
  const nowDefault = db === 'sqlite' ? "(strftime('%Y-%m-%d %H:%M:%f', 'now'))" : 'CURRENT_TIMESTAMP';
  const bool = (name: string, fallback: boolean): TableColumnOptions =>
    db === 'oracle'
      ? { name, type: 'number', precision: 1, scale: 0, default: fallback ? 1 : 0 }
      : { name, type: 'boolean', default: fallback };

  return {
    id: (): TableColumnOptions => ({ name: 'id', type: 'varchar', length: '36', isPrimary: true }),
    uuid: (name: string, nullable = false): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: '36',
      isNullable: nullable,
    }),
    varchar: (
      name: string,
      length: number,
      options: Partial<TableColumnOptions> = {},
    ): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: String(length),
      ...options,
    }),
    int: (name: string, options: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
      name,
      type: 'int',
      ...options,
    }),
    decimal: (name: string, precision: number, scale: number, fallback = '0'): TableColumnOptions => ({
      name,
      type: 'decimal',
      precision,
      scale,
      default: fallback,
    }),
    bool,
    text: (name: string): TableColumnOptions => ({ name, type: String(types.text) }),
    json: (name: string, nullable = false): TableColumnOptions => ({
      name,
      type: db === 'sqlite' ? 'text' : String(types.json),
      isNullable: nullable,
    }),
    date: (name: string): TableColumnOptions => ({ name, type: String(types.date) }),
    timestamp: (name: string, nullable = false): TableColumnOptions => ({
      name,
      type: String(types.timestamp),
      isNullable: nullable,
    }),
    /** created_at; plus updated_at and version for mutable aggregates; plus deleted_at when soft deleted. */
    audit: (kind: 'created' | 'mutable' | 'soft-delete'): TableColumnOptions[] => [
      { name: 'created_at', type: String(types.timestamp), default: nowDefault },
      ...(kind === 'created'
        ? []
        : [
            { name: 'updated_at', type: String(types.timestamp), default: nowDefault },
            { name: 'version', type: 'int', default: 1 },
          ]),
      ...(kind === 'soft-delete'
        ? [{ name: 'deleted_at', type: String(types.timestamp), isNullable: true }]
        : []),
    ],
    fk: (name: string, column: string, table: string, onDelete: OnDelete) =>
      new TableForeignKey({
        name,
        columnNames: [column],
        referencedTableName: table,
        referencedColumnNames: ['id'],
        // Oracle has no ON DELETE RESTRICT: its default (NO ACTION) is the same for our purposes.
        onDelete: onDelete === 'RESTRICT' && db === 'oracle' ? 'NO ACTION' : onDelete,
      }),
    index: (name: string, columns: string[], unique = false) =>
      new TableIndex({ name, columnNames: columns, isUnique: unique }),
    check: (name: string, expression: string) => new TableCheck({ name, expression }),
  };
}

/** The columns' SQL as TypeORM's SQLite runner writes it in CREATE TABLE (a protected method it has). */
type SqliteColumnSql = { buildCreateColumnSql(column: TableColumn, skipPrimary: boolean): string };

/**
 * Adds columns to an existing table. On SQLite, TypeORM rebuilds the table to add or drop a column, and
 * with foreign keys on, dropping the old copy fails as soon as another table's rows reference it; SQLite's
 * own ALTER TABLE … ADD/DROP COLUMN changes it in place instead.
 */
export async function addColumns(
  runner: QueryRunner,
  table: string,
  columns: TableColumnOptions[],
): Promise<void> {
  if (!isSqlite(runner))
    return runner.addColumns(
      table,
      columns.map((column) => new TableColumn(column)),
    );
  for (const column of columns) {
    const sql = (runner as unknown as SqliteColumnSql).buildCreateColumnSql(new TableColumn(column), true);
    await runner.query(`ALTER TABLE "${table}" ADD COLUMN ${sql}`);
  }
}

/** Drops columns (their indexes first); in place on SQLite, as `addColumns` explains. */
export async function dropColumns(runner: QueryRunner, table: string, columns: string[]): Promise<void> {
  if (!isSqlite(runner)) return runner.dropColumns(table, columns);
  for (const column of columns) await runner.query(`ALTER TABLE "${table}" DROP COLUMN "${column}"`);
}

const isSqlite = (runner: QueryRunner) =>
  ['sqlite', 'better-sqlite3'].includes(runner.connection.options.type);
