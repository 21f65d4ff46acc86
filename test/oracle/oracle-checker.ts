import { PLSQL } from 'dt-sql-parser/dist/parser/plsql';
import type { RecordedStatement } from './oracledb-stand-in';
import { closingParen, maskQuoted, topLevel } from './sql-text';

/**
 * Checks recorded statements the way Oracle Database 23ai would take them: the PL/SQL grammar
 * (dt-sql-parser's ANTLR grammar, ADR 0011) and the rules below, each named so a violation says which.
 */

export interface Violation {
  rule: string;
  message: string;
  statement: RecordedStatement;
}

export interface CheckOptions {
  /** SQL texts the code built with a pessimistic lock (setLock / find `lock`): they must say FOR UPDATE. */
  lockRequested?: ReadonlySet<string>;
  /** Quoted, case-sensitive names of the schema's tables and columns (from the stand-in's catalog). */
  schemaNames?: ReadonlySet<string>;
}

/** Oracle SQL reserved words (SQL Language Reference, "Oracle SQL Reserved Words"): never unquoted names. */
export const RESERVED = new Set(
  `ACCESS ADD ALL ALTER AND ANY AS ASC AUDIT BETWEEN BY CHAR CHECK CLUSTER COLUMN COMMENT COMPRESS CONNECT
  CREATE CURRENT DATE DECIMAL DEFAULT DELETE DESC DISTINCT DROP ELSE EXCLUSIVE EXISTS FILE FLOAT FOR FROM
  GRANT GROUP HAVING IDENTIFIED IMMEDIATE IN INCREMENT INDEX INITIAL INSERT INTEGER INTERSECT INTO IS LEVEL
  LIKE LOCK LONG MAXEXTENTS MINUS MLSLABEL MODE MODIFY NOAUDIT NOCOMPRESS NOT NOWAIT NULL NUMBER OF OFFLINE
  ON ONLINE OPTION OR ORDER PCTFREE PRIOR PUBLIC RAW RENAME RESOURCE REVOKE ROW ROWID ROWNUM ROWS SELECT
  SESSION SET SHARE SIZE SMALLINT START SUCCESSFUL SYNONYM SYSDATE TABLE THEN TO TRIGGER UID UNION UNIQUE
  UPDATE USER VALIDATE VALUES VARCHAR VARCHAR2 VIEW WHENEVER WHERE WITH`.split(/\s+/),
);

/** Keywords that double as column names here (`timestamp` in TypeORM's migrations table). */
const KEYWORDS = new Set([
  'TIMESTAMP',
  'DATE',
  'JSON',
  'NUMBER',
  'CLOB',
  'FIRST',
  'NEXT',
  'ONLY',
  'TIME',
  'ZONE',
]);

const MAX_IDENTIFIER_BYTES = 128;
const MAX_IN_LIST = 1000;
/** Functions and operators of the other dialects that Oracle does not have. */
const FOREIGN_SYNTAX: Array<[RegExp, string]> = [
  [/\bNOW\s*\(/i, 'NOW() (use CURRENT_TIMESTAMP or a bound Date)'],
  [/\b(datetime|strftime|json_extract|julianday)\s*\(/i, 'a SQLite function'],
  [/\bIFNULL\s*\(/i, 'IFNULL (use COALESCE or NVL)'],
  [/\bILIKE\b/i, 'ILIKE (PostgreSQL)'],
  [/::\s*\w/, 'a PostgreSQL :: cast'],
  [/->>?/, 'a PostgreSQL JSON operator (use JSON_VALUE)'],
];

let parser: PLSQL | undefined;
const grammarCache = new Map<string, string[]>();

/** Syntax errors the PL/SQL grammar reports for one statement (cached per text). */
export function grammarErrors(sql: string): string[] {
  const cached = grammarCache.get(sql);
  if (cached) return cached;
  parser ??= new PLSQL();
  // Grammar gap: its JSON_VALUE lacks the RETURNING clause (valid since 12c); the rest is still parsed.
  let text = sql.replace(/(JSON_VALUE\s*\([^()]*?)\s+RETURNING\s+\w+(\s*\([\d,\s]*\))?(?=\s*\))/gi, '$1');
  // Grammar gap: DROP TABLE ... CASCADE CONSTRAINTS (TypeORM's dropDatabase) is valid Oracle.
  text = text.replace(/^(\s*DROP TABLE\s+"[^"]+")\s+CASCADE CONSTRAINTS\s*$/i, '$1');
  // The grammar wants a terminator after SQL statements; PL/SQL blocks carry their own.
  if (!/;\s*$/.test(text)) text += ';';
  const errors = parser.validate(text).map((error) => error.message);
  grammarCache.set(sql, errors);
  return errors;
}

export function checkStatements(statements: RecordedStatement[], options: CheckOptions = {}): Violation[] {
  const violations: Violation[] = [];
  for (const statement of statements) {
    for (const [rule, message] of checkOne(statement, options)) violations.push({ rule, message, statement });
  }
  return violations;
}

function checkOne(statement: RecordedStatement, options: CheckOptions): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  const add = (rule: string, message: string) => found.push([rule, message]);
  const { sql } = statement;
  const masked = maskQuoted(sql);
  const top = topLevel(sql);
  // DDL comes from TypeORM's schema builder, which quotes every name; its bare words are types.
  const ddl = /^\s*(CREATE|ALTER|DROP)\b/i.test(sql);

  for (const error of grammarErrors(sql)) add('grammar', error);

  // Row limits: Oracle has OFFSET n ROWS / FETCH FIRST|NEXT n ROWS ONLY, never LIMIT.
  if (/\bLIMIT\b/i.test(masked))
    add('limit', 'LIMIT is not Oracle: use OFFSET ... ROWS FETCH NEXT ... ROWS ONLY');
  for (const m of masked.matchAll(/\bOFFSET\s+\S+(\s+\S+)?/gi)) {
    if (!/^\s+ROWS?$/i.test(m[1] ?? '')) add('limit', `OFFSET without ROWS: "${m[0].trim()}"`);
  }

  // Identifiers: at most 128 bytes; reserved words only quoted; unquoted names fold to upper case.
  for (const m of sql.matchAll(/"([^"]*)"/g)) {
    if (Buffer.byteLength(m[1]) > MAX_IDENTIFIER_BYTES) {
      add(
        'identifier',
        `identifier of ${Buffer.byteLength(m[1])} bytes (Oracle allows 128): "${m[1].slice(0, 40)}..."`,
      );
    }
  }
  for (const m of masked.matchAll(/(?<![:\w$#"])([A-Za-z][\w$#]*)(?![\w$#"])/g)) {
    const word = m[1];
    if (Buffer.byteLength(word) > MAX_IDENTIFIER_BYTES)
      add('identifier', `identifier of more than 128 bytes: ${word.slice(0, 40)}...`);
    const before = masked.slice(0, m.index).trimEnd();
    const after = masked.slice(m.index + word.length).trimStart();
    const asName = /\bAS$/i.test(before) || before.endsWith('.') || after.startsWith('.');
    if (asName && RESERVED.has(word.toUpperCase()))
      add('reserved-word', `reserved word ${word} used as a name: quote it`);
    const lower = word.toLowerCase();
    if (
      !ddl &&
      !KEYWORDS.has(word.toUpperCase()) &&
      options.schemaNames?.has(lower) &&
      lower !== word.toUpperCase() &&
      !after.startsWith('(') &&
      !RESERVED.has(word.toUpperCase())
    ) {
      add(
        'case-folding',
        `unquoted ${word} means ${word.toUpperCase()} on Oracle, but the schema names it "${lower}"`,
      );
    }
  }

  // IN-lists: at most 1,000 expressions.
  for (const m of masked.matchAll(/\bIN\s*\(/gi)) {
    const open = m.index + m[0].length - 1;
    const inner = masked.slice(open + 1, closingParen(sql, open));
    if (/^\s*(SELECT|WITH)\b/i.test(inner)) continue;
    const items = topLevel(`(${inner})`.slice(1, -1)).split(',').length;
    if (items > MAX_IN_LIST) add('in-list', `IN-list of ${items} items (Oracle allows 1,000): chunk it`);
  }

  // Empty strings: Oracle stores '' as NULL.
  if (/(^|[^'])''(?!')/.test(sql.replace(/'(?:[^']|'')+'/g, 'x')))
    add('empty-string', "'' is NULL on Oracle");

  for (const [pattern, what] of FOREIGN_SYNTAX)
    if (pattern.test(masked)) add('dialect', `${what} in Oracle SQL`);
  if (/=\s*(TRUE|FALSE)\b|\b(TRUE|FALSE)\s*=/i.test(masked)) {
    add('boolean', 'TRUE/FALSE compared with a column: booleans are NUMBER(1) here, bind 1/0');
  }

  checkBinds(statement, masked, add);

  // Locks: FOR UPDATE where the code asked for one, and never with FETCH FIRST, DISTINCT or aggregates.
  const forUpdate = /\bFOR\s+UPDATE\b/i.test(top);
  if (options.lockRequested?.has(sql) && !forUpdate)
    add('lock', 'the code asked for a row lock but the SQL has no FOR UPDATE');
  if (forUpdate) {
    if (/\bFETCH\s+(FIRST|NEXT)\b|\bOFFSET\b/i.test(top))
      add('lock', 'FOR UPDATE with FETCH FIRST/OFFSET (ORA-02014)');
    if (
      /\bDISTINCT\b|\bGROUP\s+BY\b|\bUNION\b/i.test(top) ||
      /\b(COUNT|SUM|MIN|MAX|AVG)\s*\(/i.test(masked)
    ) {
      add('lock', 'FOR UPDATE with DISTINCT, GROUP BY or an aggregate (ORA-01786/ORA-02014)');
    }
  }
  return found;
}

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;

function checkBinds(
  statement: RecordedStatement,
  masked: string,
  add: (rule: string, message: string) => void,
): void {
  const names = [...masked.matchAll(/(?<![:\w]):([A-Za-z0-9_$#]+)/g)].map((m) => m[1]);
  for (const name of names) {
    const valid = /^\d+$/.test(name) || (/^[A-Za-z][\w$#]*$/.test(name) && !RESERVED.has(name.toUpperCase()));
    if (!valid || Buffer.byteLength(name) > MAX_IDENTIFIER_BYTES)
      add('bind-name', `invalid bind name :${name}`);
  }
  const binds = statement.binds;
  if (Array.isArray(binds)) {
    const positions = new Set(names.filter((name) => /^\d+$/.test(name)));
    if (positions.size !== binds.length) {
      add(
        'bind-count',
        `${positions.size} distinct positional binds in the SQL, ${binds.length} values given`,
      );
    }
  } else {
    const wanted = new Set(names);
    const given = Object.keys(binds);
    if (given.length && given.some((name) => !wanted.has(name)))
      add('bind-count', 'named binds given that the SQL does not use');
  }
  const values = Array.isArray(binds) ? binds : Object.values(binds);
  values.forEach((value, i) => {
    const at = `bind ${i + 1}`;
    if (value === '') add('empty-string', `${at} is '' (NULL on Oracle)`);
    else if (typeof value === 'boolean')
      add('boolean', `${at} is a JS boolean: the columns are NUMBER(1), bind 1/0`);
    else if (typeof value === 'number' && !Number.isFinite(value)) add('number', `${at} is ${value}`);
    else if (typeof value === 'string' && ISO_TIMESTAMP.test(value)) {
      add(
        'timestamp',
        `${at} is a timestamp as text ("${value}"): bind a Date, text depends on NLS settings`,
      );
    } else if (
      value !== null &&
      typeof value === 'object' &&
      !(value instanceof Date) &&
      !Buffer.isBuffer(value)
    ) {
      const definition = ['dir', 'type', 'val', 'maxSize'].some((key) => key in value);
      if (!definition)
        add(
          'json',
          `${at} is a plain object: oracledb reads it as a bind definition; bind JSON text or { type: DB_TYPE_JSON, val }`,
        );
    }
  });
}

/** One line per violation, with its statement and where it came from. */
export function formatViolations(violations: Violation[]): string {
  return violations
    .map(
      (v) =>
        `[${v.rule}] ${v.message}\n    in ${v.statement.context || '?'}: ${v.statement.sql}\n    binds: ${JSON.stringify(v.statement.binds)}`,
    )
    .join('\n');
}
