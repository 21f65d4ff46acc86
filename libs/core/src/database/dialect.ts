import type { ColumnType, Driver } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { DbType } from '../config/app-config';

/**
 * The one place that knows how the three databases differ. Entity decorators and migrations are
 * evaluated at import time, before Nest builds the config, so the database type is read straight from
 * DB_TYPE here (parseConfig validates the same variable at boot).
 */
export function currentDbType(): DbType {
  const type = process.env.DB_TYPE?.trim() || 'sqlite';
  return type === 'postgres' || type === 'oracle' ? type : 'sqlite';
}

interface DialectTypes {
  /** JSON documents: native JSON on Oracle, jsonb on PostgreSQL, text on SQLite. */
  json: ColumnType;
  timestamp: ColumnType;
  /** For migrations only: entities leave boolean columns untyped so TypeORM maps them (number(1) on Oracle). */
  boolean: ColumnType;
  date: ColumnType;
  text: ColumnType;
}

const TYPES: Record<DbType, DialectTypes> = {
  sqlite: { json: 'simple-json', timestamp: 'datetime', boolean: 'boolean', date: 'date', text: 'text' },
  postgres: { json: 'jsonb', timestamp: 'timestamptz', boolean: 'boolean', date: 'date', text: 'text' },
  oracle: {
    json: 'json',
    timestamp: 'timestamp with time zone',
    boolean: 'number',
    date: 'date',
    text: 'clob',
  },
};

export const columnTypes = (db: DbType = currentDbType()): DialectTypes => TYPES[db];

/**
 * ON DELETE RESTRICT for entity relations. Oracle has no RESTRICT (TypeORM refuses the entity metadata at
 * boot); its default, NO ACTION, refuses the same deletes. Migrations map it the same way (schemaBuilder.fk).
 */
export const ON_DELETE_RESTRICT: 'RESTRICT' | 'NO ACTION' =
  currentDbType() === 'oracle' ? 'NO ACTION' : 'RESTRICT';

/** Raw SQL that cannot be written portably: kept here, one entry per dialect. */
export const dialectSql: Record<
  DbType,
  {
    serverVersion: string;
    stepsIndex: (index: string, table: string) => string;
    /** Refreshes planner statistics after a bulk load (the seeder), so new indexes get used. Outside a transaction. */
    analyze: string;
  }
> = {
  sqlite: {
    serverVersion: "SELECT 'SQLite ' || sqlite_version() AS version",
    stepsIndex: (index, table) =>
      `CREATE INDEX "${index}" ON "${table}" (CAST(json_extract("metrics", '$.steps') AS INTEGER))`,
    analyze: 'ANALYZE',
  },
  postgres: {
    serverVersion: 'SELECT version() AS version',
    stepsIndex: (index, table) => `CREATE INDEX "${index}" ON "${table}" ((("metrics"->>'steps')::integer))`,
    // VACUUM also sets the visibility map, without which index-only scans still visit the heap.
    analyze: 'VACUUM ANALYZE',
  },
  oracle: {
    serverVersion: 'SELECT banner_full AS "version" FROM v$version WHERE ROWNUM = 1',
    stepsIndex: (index, table) =>
      `CREATE INDEX "${index}" ON "${table}" (JSON_VALUE("metrics", '$.steps' RETURNING NUMBER))`,
    analyze: 'BEGIN DBMS_STATS.GATHER_SCHEMA_STATS(USER); END;',
  },
};

/** What `addingUpsertSql` writes: `rows` rows of `columns`, matched on `key`. */
export interface AddingUpsert {
  table: string;
  columns: string[];
  key: string[];
  /** On a match: added to the stored value. */
  add: string[];
  /** On a match: overwritten. Columns in none of the lists are written only by an insert. */
  set: string[];
  rows: number;
}

/**
 * One statement that inserts rows or, where a row with the same key exists, adds to its counters and
 * overwrites the `set` columns (a rollup): ON CONFLICT on PostgreSQL and SQLite, MERGE on Oracle. Value
 * `j` of row `i` is the named parameter `:v{i}_{j}` (for the driver's escapeQueryWithParameters). Rows
 * must not repeat a key.
 */
export function addingUpsertSql(db: DbType, { table, columns, key, add, set, rows }: AddingUpsert): string {
  const q = (name: string) => `"${name}"`;
  const values = Array.from({ length: rows }, (_, i) => columns.map((_, j) => `:v${i}_${j}`));
  const updated = [...add, ...set];
  if (db === 'oracle') {
    const source = values
      .map((row) => `SELECT ${row.map((value, j) => `${value} AS ${q(columns[j])}`).join(', ')} FROM DUAL`)
      .join(' UNION ALL ');
    const assign = updated.map((c) =>
      add.includes(c) ? `"t".${q(c)} = "t".${q(c)} + "s".${q(c)}` : `"t".${q(c)} = "s".${q(c)}`,
    );
    return (
      `MERGE INTO ${q(table)} "t" USING (${source}) "s" ON (${key.map((c) => `"t".${q(c)} = "s".${q(c)}`).join(' AND ')}) ` +
      `WHEN MATCHED THEN UPDATE SET ${assign.join(', ')} ` +
      `WHEN NOT MATCHED THEN INSERT (${columns.map(q).join(', ')}) VALUES (${columns.map((c) => `"s".${q(c)}`).join(', ')})`
    );
  }
  const assign = updated.map((c) =>
    add.includes(c) ? `${q(c)} = ${q(table)}.${q(c)} + excluded.${q(c)}` : `${q(c)} = excluded.${q(c)}`,
  );
  return (
    `INSERT INTO ${q(table)} (${columns.map(q).join(', ')}) VALUES ${values.map((row) => `(${row.join(', ')})`).join(', ')} ` +
    `ON CONFLICT (${key.map(q).join(', ')}) DO UPDATE SET ${assign.join(', ')}`
  );
}

/** What `numberedInsertSql` writes: `rows` rows numbered after a counter row's value, moving it by `rows`. */
export interface NumberedInsert {
  /** The row handing out numbers: `column` moves by `rows`; `set` (more assignments) and `where` are SQL. */
  counter: { table: string; column: string; set: string; where: string };
  table: string;
  /**
   * Differ by row: value `j` of row `i` is the named parameter `:v{i}_{j}`. Text columns only: PostgreSQL
   * types a parameter in VALUES as text.
   */
  varying: string[];
  /** The same in every row: the value of `shared[j]` is the named parameter `:s{j}`. */
  shared: string[];
  /** Row `i` gets the counter's old value + i + 1. */
  number: string;
  rows: number;
}

/**
 * One statement that moves the counter and inserts the numbered rows (PostgreSQL: an UPDATE … RETURNING in
 * a WITH), so the counter row's lock is held for one round trip and the commit; no row matching `where`
 * inserts nothing. Null where a WITH cannot hold an UPDATE (SQLite, Oracle): the caller updates, reads the
 * counter back and inserts. Returns the inserted `number`s.
 */
export function numberedInsertSql(db: DbType, spec: NumberedInsert): string | null {
  if (db !== 'postgres') return null;
  const { counter, table, varying, shared, number, rows } = spec;
  const q = (name: string) => `"${name}"`;
  const names = varying.map((_, j) => q(`v${j}`));
  const values = Array.from(
    { length: rows },
    (_, i) => `(${varying.map((_, j) => `:v${i}_${j}`).join(', ')}, ${i + 1})`,
  );
  return (
    `WITH "c" AS (UPDATE ${q(counter.table)} SET ${q(counter.column)} = ${q(counter.column)} + ${rows}, ${counter.set} ` +
    `WHERE ${counter.where} RETURNING ${q(counter.column)} - ${rows} AS "base") ` +
    `INSERT INTO ${q(table)} (${[...varying, ...shared, number].map(q).join(', ')}) ` +
    `SELECT ${names.map((name) => `"r".${name}`).join(', ')}, ${shared.map((_, j) => `:s${j}`).join(', ')}, "c"."base" + "r"."i" ` +
    `FROM "c" CROSS JOIN (VALUES ${values.join(', ')}) AS "r"(${names.join(', ')}, "i") RETURNING ${q(number)}`
  );
}

/**
 * An entity's values from a raw row whose columns were selected as `"<prefix><database name>"`: TypeORM's
 * own per-dialect conversion (dates, booleans, JSON, transformers) without its query building and entity
 * transformation, which cost more than the query on hot paths.
 */
export function hydrated<T extends object>(
  driver: Driver,
  columns: readonly ColumnMetadata[],
  row: Record<string, unknown>,
  into: T,
  prefix = '',
): T {
  const entity = into as Record<string, unknown>;
  for (const column of columns) {
    entity[column.propertyName] = driver.prepareHydratedValue(row[prefix + column.databaseName], column);
  }
  return into;
}

/** Oracle accepts at most 1,000 binds in an IN-list; chunk every large id list. */
export function chunk<T>(items: readonly T[], size = 1000): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** Error codes, per dialect, of a transaction the database aborted to break a deadlock or keep it serialisable. */
const TRANSIENT_CONFLICTS = new Set(['40001', '40P01', 'ORA-00060', 'ORA-08177', 'SQLITE_BUSY']);

/** True for a failure that running the same transaction again may cure. */
export function isTransientConflict(error: unknown): boolean {
  const { code, driverError } = (error ?? {}) as { code?: unknown; driverError?: { code?: unknown } };
  const oracle = /ORA-\d{5}/.exec(String(error))?.[0];
  return [code, driverError?.code, oracle].some((candidate) => TRANSIENT_CONFLICTS.has(String(candidate)));
}

/** Unique-constraint violations across SQLite, PostgreSQL and Oracle. */
export function isUniqueViolation(error: unknown): boolean {
  return /unique|23505|ORA-00001/i.test(`${(error as { code?: string }).code ?? ''} ${String(error)}`);
}

/** The row lock for "read, then write what you read" (FOR UPDATE); none on SQLite, whose units take turns. */
export function rowLock(db: DbType = currentDbType()): 'pessimistic_write' | null {
  return db === 'sqlite' ? null : 'pessimistic_write';
}
