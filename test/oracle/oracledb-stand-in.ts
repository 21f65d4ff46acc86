import { closingParen, itemKey, maskQuoted, selectItems, splitTopLevel } from './sql-text';

/**
 * A recording stand-in for `oracledb` (node-oracledb 6+/7, thin mode), handed to TypeORM through the
 * DataSource's `driver` option. It has the surface TypeORM's Oracle driver uses (createPool, the pool's
 * getConnection/close, the connection's execute/close, the DB_TYPE_* and OUT_FORMAT_* constants, the
 * fetchAsString/fetchAsBuffer settings), records every statement with its binds, and answers as Oracle
 * would shape the result: rows as objects keyed by column name (unquoted aliases upper-cased), JSON
 * columns as objects, CLOBs as strings only when `fetchAsString` asks for it (a Lob otherwise),
 * `rowsAffected` for DML, `outBinds` for RETURNING INTO. It keeps a catalog built from the DDL it sees,
 * so TypeORM's own dictionary queries (USER_TABLES, ALL_TAB_COLS, ...) and the migrations table get
 * plausible rows, and synthesises one row per SELECT unless a test queues its own answer.
 */

// The real module's constants, so TypeORM binds with the same DbType objects it would in production.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const real = require('oracledb') as Record<string, unknown>;
const CONSTANTS = Object.fromEntries(
  Object.entries(real).filter(([name]) => /^(DB_TYPE_|OUT_FORMAT_|BIND_|STMT_TYPE_)/.test(name)),
);
const DB_TYPE_CLOB = real.DB_TYPE_CLOB;
const BIND_OUT = real.BIND_OUT;

export interface RecordedStatement {
  sql: string;
  binds: unknown[] | Record<string, unknown>;
  autoCommit: boolean;
  connection: number;
  /** What the tour was doing when the statement ran, e.g. `UsersRepository.list`. */
  context: string;
}

export interface CatalogColumn {
  name: string;
  /** As Oracle reports it, e.g. VARCHAR2, NUMBER, TIMESTAMP(6) WITH TIME ZONE, JSON, CLOB. */
  dataType: string;
  length?: number;
  precision?: number;
  scale?: number;
  nullable: boolean;
  default?: string;
  identity: boolean;
}

interface CatalogTable {
  name: string;
  columns: CatalogColumn[];
  constraints: Array<{ name: string; type: 'P' | 'U' | 'C'; columns: string[]; condition?: string }>;
  foreignKeys: Array<{ name: string; column: string; refTable: string; refColumn: string; onDelete: string }>;
}

interface CatalogIndex {
  name: string;
  table: string;
  unique: boolean;
  columns: string[];
}

type Answer = Record<string, unknown>[] | ((sql: string, binds: unknown[]) => Record<string, unknown>[]);

export const STAND_IN_SCHEMA = 'FITTRACK';
/** Every synthesised id: the same value, so a page's id query and its row query agree. */
export const STAND_IN_ID = '00000000-0000-4000-8000-000000000001';
export const STAND_IN_TIME = new Date('2026-03-08T06:30:00.000Z');

export class OracleStandIn {
  readonly statements: RecordedStatement[] = [];
  readonly pools: Array<Record<string, unknown>> = [];
  readonly tables = new Map<string, CatalogTable>();
  readonly indexes = new Map<string, CatalogIndex>();
  /** The migrations table's rows (TypeORM's own bookkeeping). */
  private readonly migrationRows: Array<{ id: number; timestamp: number; name: string }> = [];
  private readonly queued: Array<{ match: RegExp; answer: Answer }> = [];
  private connections = 0;
  context = '';

  /** The object TypeORM receives as `driver`: oracledb's surface, backed by this recorder. */
  readonly driver: Record<string, unknown> = {
    ...CONSTANTS,
    createPool: (attributes: Record<string, unknown>, callback?: (err: unknown, pool: unknown) => void) => {
      this.pools.push(attributes);
      const pool = {
        getConnection: (cb: (err: unknown, connection: unknown) => void) => cb(null, this.connection()),
        close: (cb?: (err?: unknown) => void) => (cb ? cb() : Promise.resolve()),
      };
      if (callback) return callback(null, pool);
      return Promise.resolve(pool);
    },
    initOracleClient: () => {
      throw new Error('thick mode is not used: node-oracledb runs in thin mode (no Instant Client)');
    },
  };

  /** The next SELECT matching `match` answers `rows` (once), instead of the synthesised row. */
  answerOnce(match: RegExp, answer: Answer): void {
    this.queued.push({ match, answer });
  }

  /** Rows of TypeORM's migrations table, oldest first. */
  get executedMigrations(): ReadonlyArray<{ timestamp: number; name: string }> {
    return this.migrationRows;
  }

  /** Statements recorded since `mark` (an earlier `statements.length`). */
  since(mark: number): RecordedStatement[] {
    return this.statements.slice(mark);
  }

  private connection() {
    const id = ++this.connections;
    return {
      execute: async (sql: string, binds: unknown = [], options: Record<string, unknown> = {}) => {
        const list = Array.isArray(binds) ? binds : Object.values(binds as object);
        this.statements.push({
          sql,
          binds: binds as RecordedStatement['binds'],
          autoCommit: options.autoCommit === true,
          connection: id,
          context: this.context,
        });
        return this.answer(sql, list);
      },
      queryStream: () => {
        throw new Error('queryStream is not part of the stand-in: no code path here streams');
      },
      close: () => Promise.resolve(),
    };
  }

  private answer(sql: string, binds: unknown[]): Record<string, unknown> {
    const text = sql.trim();
    if (/^(SELECT|WITH)\b/i.test(text)) {
      const rows = this.rowsFor(text, binds);
      return { rows, metaData: Object.keys(rows[0] ?? {}).map((name) => ({ name })) };
    }
    if (/^(CREATE|ALTER|DROP)\b/i.test(text)) {
      this.applyDdl(text);
      return {};
    }
    if (/^(INSERT|UPDATE|DELETE|MERGE)\b/i.test(text)) {
      const rowsAffected = this.applyDml(text, binds);
      const outs = binds.filter((bind) => (bind as { dir?: unknown } | null)?.dir === BIND_OUT);
      if (!outs.length) return { rowsAffected };
      // RETURNING ... INTO: one array of values per out bind, one value per affected row.
      return {
        rowsAffected,
        outBinds: outs.map((bind) => [valueForType((bind as { type?: { name?: string } }).type?.name ?? '')]),
      };
    }
    // COMMIT, ROLLBACK, SAVEPOINT, SET TRANSACTION, PL/SQL blocks.
    return {};
  }

  private rowsFor(sql: string, binds: unknown[]): Record<string, unknown>[] {
    const queued = this.queued.findIndex((entry) => entry.match.test(sql));
    if (queued >= 0) {
      const [{ answer }] = this.queued.splice(queued, 1);
      return typeof answer === 'function' ? answer(sql, binds) : answer;
    }
    const dictionary = this.dictionary(sql, binds);
    if (dictionary) return dictionary;
    const items = selectItems(sql) ?? [];
    if (items.some((item) => /^(?:"\w+"\.)?\*$/.test(item))) return [];
    const tables = tableAliases(sql);
    return [Object.fromEntries(items.map((item) => this.synthesise(item, tables)))];
  }

  /** A plausible value for one select item: from the catalog's column type where it names a column. */
  private synthesise(item: string, tables: Map<string, string>): [string, unknown] {
    const { key, expression } = itemKey(item);
    const special: Record<string, unknown> = {
      db_name: 'FREEPDB1',
      schema_name: STAND_IN_SCHEMA,
      version: 'Oracle Database 23ai Free Release 23.0.0.0.0 - Develop, Learn, and Run for Free (stand-in)',
    };
    if (key in special) return [key, special[key]];
    if (/^(COUNT)\s*\(/i.test(expression)) return [key, 1];
    if (/^(COALESCE\s*\(\s*)?(SUM|AVG)\s*\(/i.test(expression)) return [key, 0];
    if (/^\d+$/.test(expression)) return [key, Number(expression)];
    const ref = /"(\w+)"\s*\.\s*"(\w+)"/.exec(expression) ?? /()"(\w+)"/.exec(expression);
    if (!ref) return [key, null];
    const column = this.column(tables.get(ref[1]), ref[2]);
    if (!column) return [key, null];
    if (
      column.dataType === 'CLOB' &&
      !(this.driver.fetchAsString as unknown[] | undefined)?.includes(DB_TYPE_CLOB)
    ) {
      return [key, { type: DB_TYPE_CLOB, getData: async () => '' }];
    }
    return [key, valueForColumn(column)];
  }

  private column(table: string | undefined, name: string): CatalogColumn | undefined {
    const candidates = table ? [this.tables.get(table)] : [...this.tables.values()];
    for (const candidate of candidates) {
      const column = candidate?.columns.find((c) => c.name === name);
      if (column) return column;
    }
    return undefined;
  }

  /** TypeORM's data-dictionary and bookkeeping queries, answered from the catalog. */
  private dictionary(sql: string, binds: unknown[]): Record<string, unknown>[] | undefined {
    const owner = STAND_IN_SCHEMA;
    const named = [...sql.matchAll(/"TABLE_NAME" = '([^']+)'/g)].map((m) => m[1]);
    const tables = [...this.tables.values()].filter((t) => !named.length || named.includes(t.name));
    if (/FROM "USER_TABLES" WHERE "TABLE_NAME" = :1/.test(sql)) {
      return this.tables.has(String(binds[0])) ? [{ TABLE_NAME: binds[0] }] : [];
    }
    if (/FROM "USER_TAB_COLS" WHERE/.test(sql)) {
      return this.column(String(binds[0]), String(binds[1])) ? [{ COLUMN_NAME: binds[1] }] : [];
    }
    if (/AS "query" FROM "USER_TABLES"/.test(sql)) {
      return [...this.tables.keys()].map((name) => ({ query: `DROP TABLE "${name}" CASCADE CONSTRAINTS` }));
    }
    if (/AS "query" FROM "USER_(M?VIEWS)"/.test(sql)) return [];
    if (/FROM "ALL_TABLES"/.test(sql)) return tables.map((t) => ({ TABLE_NAME: t.name, OWNER: owner }));
    if (/FROM "ALL_TAB_COLS"/.test(sql)) {
      return tables.flatMap((t) =>
        t.columns.map((c) => ({
          OWNER: owner,
          TABLE_NAME: t.name,
          COLUMN_NAME: c.name,
          DATA_TYPE: c.dataType,
          DATA_LENGTH: c.length ?? null,
          CHAR_COL_DECL_LENGTH: c.length ?? null,
          DATA_PRECISION: c.precision ?? null,
          DATA_SCALE: c.scale ?? null,
          NULLABLE: c.nullable ? 'Y' : 'N',
          DATA_DEFAULT: c.default ?? null,
          VIRTUAL_COLUMN: 'NO',
          USER_GENERATED: 'YES',
          IDENTITY_COLUMN: c.identity ? 'YES' : 'NO',
        })),
      );
    }
    if (/FROM "ALL_INDEXES"/.test(sql)) {
      return [...this.indexes.values()]
        .filter((i) => tables.some((t) => t.name === i.table))
        .map((i) => ({
          INDEX_NAME: i.name,
          OWNER: owner,
          TABLE_NAME: i.table,
          UNIQUENESS: i.unique ? 'UNIQUE' : 'NONUNIQUE',
          COLUMN_NAMES: i.columns.join(','),
        }));
    }
    if (/FROM "ALL_CONSTRAINTS" "C" INNER JOIN "ALL_CONS_COLUMNS" "COL".*"REF_COL"/s.test(sql)) {
      return tables.flatMap((t) =>
        t.foreignKeys.map((fk) => ({
          CONSTRAINT_NAME: fk.name,
          OWNER: owner,
          TABLE_NAME: t.name,
          COLUMN_NAME: fk.column,
          REFERENCED_TABLE_NAME: fk.refTable,
          REFERENCED_COLUMN_NAME: fk.refColumn,
          ON_DELETE: fk.onDelete,
        })),
      );
    }
    if (/FROM "ALL_CONSTRAINTS"/.test(sql)) {
      return tables.flatMap((t) =>
        t.constraints.flatMap((c) =>
          c.columns.map((column) => ({
            CONSTRAINT_NAME: c.name,
            CONSTRAINT_TYPE: c.type,
            OWNER: owner,
            TABLE_NAME: t.name,
            COLUMN_NAME: column,
            SEARCH_CONDITION: c.condition ?? null,
          })),
        ),
      );
    }
    if (/^SELECT \* FROM "migrations"/.test(sql)) {
      return [...this.migrationRows].sort((a, b) => b.id - a.id).map((row) => ({ ...row }));
    }
    return undefined;
  }

  private applyDml(sql: string, binds: unknown[]): number {
    if (/^INSERT INTO "migrations"/.test(sql)) {
      const id = Math.max(0, ...this.migrationRows.map((row) => row.id)) + 1;
      this.migrationRows.push({ id, timestamp: Number(binds[0]), name: String(binds[1]) });
      return 1;
    }
    if (/^DELETE FROM "migrations"/.test(sql)) {
      const at = this.migrationRows.findIndex((row) => binds.map(String).includes(row.name));
      if (at >= 0) this.migrationRows.splice(at, 1);
      return at >= 0 ? 1 : 0;
    }
    // Multi-row INSERT ALL ... / INSERT ... SELECT: one row per VALUES or INTO; everything else one row.
    const inserts = (sql.match(/\bINTO\b/gi) ?? []).length;
    return /^INSERT ALL/i.test(sql) ? inserts : 1;
  }

  /** Keeps the catalog in step with the DDL TypeORM and the migrations issue. */
  private applyDdl(sql: string): void {
    let m: RegExpExecArray | null;
    if ((m = /^CREATE TABLE "(\w+)" \(/.exec(sql))) {
      const body = sql.slice(m[0].length - 1 + 1, closingParen(sql, m[0].length - 1));
      this.tables.set(m[1], parseTableBody(m[1], body));
    } else if ((m = /^CREATE (UNIQUE )?INDEX "(\w+)" ON "(\w+)" \((.*)\)\s*$/s.exec(sql))) {
      const columns = splitTopLevel(m[4]).map((c, i) =>
        /^"\w+"$/.test(c) ? c.slice(1, -1) : `SYS_NC0000${i + 1}$`,
      );
      this.indexes.set(m[2], { name: m[2], table: m[3], unique: Boolean(m[1]), columns });
    } else if ((m = /^DROP INDEX "(\w+)"/.exec(sql))) {
      this.indexes.delete(m[1]);
    } else if ((m = /^DROP TABLE "(\w+)"/.exec(sql))) {
      this.tables.delete(m[1]);
      if (m[1] === 'migrations') this.migrationRows.length = 0;
      for (const [name, index] of this.indexes) if (index.table === m[1]) this.indexes.delete(name);
    } else if ((m = /^ALTER TABLE "(\w+)" DROP CONSTRAINT "(\w+)"/.exec(sql))) {
      const table = this.tables.get(m[1]);
      if (table) {
        table.foreignKeys = table.foreignKeys.filter((fk) => fk.name !== m![2]);
        table.constraints = table.constraints.filter((c) => c.name !== m![2]);
      }
    } else if ((m = /^ALTER TABLE "(\w+)" ADD (.*)$/s.exec(sql))) {
      const table = this.tables.get(m[1]);
      // A CHECK added later names columns of the existing table.
      const added = table && parseTableBody(m[1], m[2], table.columns);
      if (table && added) {
        table.columns.push(...added.columns);
        table.constraints.push(...added.constraints);
        table.foreignKeys.push(...added.foreignKeys);
      }
    } else if ((m = /^ALTER TABLE "(\w+)" DROP COLUMN "(\w+)"/.exec(sql))) {
      const table = this.tables.get(m[1]);
      if (table) table.columns = table.columns.filter((c) => c.name !== m![2]);
    }
  }
}

function parseTableBody(name: string, body: string, existing: CatalogColumn[] = []): CatalogTable {
  const table: CatalogTable = { name, columns: [], constraints: [], foreignKeys: [] };
  for (const part of splitTopLevel(body)) {
    const quoted = (text: string) => [...text.matchAll(/"(\w+)"/g)].map((q) => q[1]);
    let m: RegExpExecArray | null;
    if ((m = /^CONSTRAINT "(\w+)" (PRIMARY KEY|UNIQUE) \((.*)\)$/s.exec(part))) {
      table.constraints.push({ name: m[1], type: m[2] === 'UNIQUE' ? 'U' : 'P', columns: quoted(m[3]) });
    } else if ((m = /^CONSTRAINT "(\w+)" CHECK \((.*)\)$/s.exec(part))) {
      const columns = quoted(m[2]).filter((c) =>
        [...existing, ...table.columns].some((col) => col.name === c),
      );
      table.constraints.push({ name: m[1], type: 'C', columns, condition: m[2] });
    } else if (
      (m =
        /^CONSTRAINT "(\w+)" FOREIGN KEY \("(\w+)"\) REFERENCES "(\w+)" \("(\w+)"\)(?: ON DELETE (.*))?$/s.exec(
          part,
        ))
    ) {
      table.foreignKeys.push({
        name: m[1],
        column: m[2],
        refTable: m[3],
        refColumn: m[4],
        onDelete: m[5] ?? 'NO ACTION',
      });
    } else if ((m = /^"(\w+)" (.*)$/s.exec(part))) {
      table.columns.push(parseColumn(m[1], m[2]));
    }
  }
  return table;
}

function parseColumn(name: string, definition: string): CatalogColumn {
  const masked = maskQuoted(definition);
  const cut = /\s(DEFAULT|NOT NULL|NULL|GENERATED|CONSTRAINT|CHECK)\b/i.exec(masked);
  const type = definition.slice(0, cut ? cut.index : definition.length).trim();
  const defaultValue = /\sDEFAULT\s+(.*?)(?=\s+NOT NULL|\s+NULL|$)/is.exec(definition)?.[1];
  const args = /\(([^)]*)\)/
    .exec(type)?.[1]
    ?.split(',')
    .map((n) => Number(n.trim()));
  const base = type
    .replace(/\([^)]*\)/, '')
    .trim()
    .toUpperCase();
  // As the data dictionary reports them: VARCHAR is VARCHAR2, INT and DECIMAL are NUMBER.
  const synonyms: Record<string, string> = {
    VARCHAR: 'VARCHAR2',
    INT: 'NUMBER',
    INTEGER: 'NUMBER',
    DECIMAL: 'NUMBER',
  };
  const dataType = base.startsWith('TIMESTAMP')
    ? base.replace('TIMESTAMP', `TIMESTAMP(${args?.[0] ?? 6})`)
    : (synonyms[base] ?? base);
  return {
    name,
    dataType,
    length: /CHAR/.test(dataType) ? args?.[0] : undefined,
    precision: dataType === 'NUMBER' ? (base === 'NUMBER' ? args?.[0] : 38) : undefined,
    scale: dataType === 'NUMBER' ? (args?.[1] ?? (args || base !== 'NUMBER' ? 0 : undefined)) : undefined,
    nullable: !/\bNOT NULL\b/i.test(masked),
    default: defaultValue?.trim(),
    identity: /\bGENERATED\b/i.test(masked),
  };
}

/** `"table" "alias"` pairs of a statement (FROM and JOIN clauses), alias → table. */
function tableAliases(sql: string): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const m of sql.matchAll(/(?:FROM|JOIN)\s+"(\w+)"\s+"(\w+)"/gi)) aliases.set(m[2], m[1]);
  for (const m of sql.matchAll(/(?:FROM|JOIN)\s+"(\w+)"(?!\s+")/gi)) aliases.set(m[1], m[1]);
  return aliases;
}

function valueForColumn(column: CatalogColumn): unknown {
  const literal = column.default?.match(/^'(.*)'$/)?.[1];
  switch (column.dataType) {
    case 'VARCHAR2':
    case 'NVARCHAR2':
    case 'CHAR':
      return column.length === 36 ? STAND_IN_ID : (literal ?? column.name);
    case 'NUMBER':
      return column.default !== undefined && /^\d+$/.test(column.default) ? Number(column.default) : 1;
    case 'JSON':
      return {};
    case 'CLOB':
      return column.name;
    case 'DATE':
      return new Date('2000-01-01T00:00:00.000Z');
    default:
      return column.dataType.startsWith('TIMESTAMP') ? STAND_IN_TIME : null;
  }
}

function valueForType(typeName: string): unknown {
  if (/TIMESTAMP|DATE/i.test(typeName)) return STAND_IN_TIME;
  if (/NUMBER|BINARY/i.test(typeName)) return 1;
  return STAND_IN_ID;
}
