import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { checkStatements, formatViolations } from './oracle-checker';
import type { RecordedStatement } from './oracledb-stand-in';
import { entriesFor, tourTargets } from './tour';

const statement = (sql: string, binds: unknown[] = []): RecordedStatement => ({
  sql,
  binds,
  autoCommit: true,
  connection: 1,
  context: 'checker spec',
});
const rulesOf = (sql: string, binds: unknown[] = [], lockRequested = new Set<string>()) =>
  checkStatements([statement(sql, binds)], {
    lockRequested,
    schemaNames: new Set(['users', 'email', 'id']),
  }).map((v) => v.rule);

/** A repository nobody wrote a tour entry for. */
@Injectable()
class ThrowawayRepository {
  findEverything(): Promise<unknown[]> {
    return Promise.resolve([]);
  }
}
@Module({ providers: [ThrowawayRepository] })
class ThrowawayModule {}

/** The checker and the tour must fail on what Oracle refuses and on a query left out of the tour. */
describe('Oracle checker', () => {
  it('passes SQL Oracle accepts', () => {
    const sql =
      'SELECT "u"."id" AS "id" FROM "users" "u" WHERE "u"."email" = :1 ORDER BY "u"."id" OFFSET 0 ROWS FETCH NEXT 20 ROWS ONLY';
    expect(rulesOf(sql, ['a@b.example'])).toEqual([]);
  });

  it('reports a raw LIMIT, an over-long identifier and FOR UPDATE with FETCH FIRST, each with its statement', () => {
    const long = 'x'.repeat(129);
    const violations = checkStatements([
      statement('SELECT "id" FROM "users" LIMIT 10'),
      statement(`SELECT "id" AS "${long}" FROM "users"`),
      statement('SELECT "id" FROM "users" WHERE "id" = :1 FETCH FIRST 1 ROWS ONLY FOR UPDATE', ['x']),
    ]);
    const report = formatViolations(violations);
    expect(report).toContain('[limit] LIMIT is not Oracle');
    expect(report).toContain('SELECT "id" FROM "users" LIMIT 10');
    expect(report).toContain('[identifier] identifier of 129 bytes');
    expect(report).toContain('[lock] FOR UPDATE with FETCH FIRST/OFFSET');
  });

  it.each([
    ['reserved word as a bare alias', 'SELECT "id" AS level FROM "users"', [], 'reserved-word'],
    ['unquoted lower-case schema name', 'SELECT id FROM users', [], 'case-folding'],
    [
      'IN-list over 1,000',
      `SELECT "id" FROM "users" WHERE "id" IN (${Array.from({ length: 1001 }, (_, i) => `:${i + 1}`).join(', ')})`,
      Array(1001).fill('x'),
      'in-list',
    ],
    ['empty string literal', `SELECT "id" FROM "users" WHERE "email" = ''`, [], 'empty-string'],
    ['empty string bind', 'SELECT "id" FROM "users" WHERE "email" = :1', [''], 'empty-string'],
    ['JS boolean bind', 'UPDATE "users" SET "email_verified" = :1', [true], 'boolean'],
    ['plain object bind', 'UPDATE "users" SET "metrics" = :1', [{ steps: 1 }], 'json'],
    [
      'timestamp as text',
      'SELECT "id" FROM "users" WHERE "created_at" > :1',
      ['2026-03-08 00:00:00'],
      'timestamp',
    ],
    ['bind count mismatch', 'SELECT "id" FROM "users" WHERE "id" = :1 AND "email" = :2', ['x'], 'bind-count'],
    ['aggregate FOR UPDATE', 'SELECT COUNT(*) AS "n" FROM "users" FOR UPDATE', [], 'lock'],
    ['PostgreSQL cast', 'SELECT "id"::text FROM "users"', [], 'dialect'],
    ['syntax error', 'SELECT FROM WHERE', [], 'grammar'],
  ])('reports %s', (_name, sql, binds, rule) => {
    expect(rulesOf(sql, binds)).toContain(rule);
  });

  it('reports a lock the code asked for that the SQL lacks', () => {
    const sql = 'SELECT "id" FROM "users" WHERE "id" = :1';
    expect(rulesOf(sql, ['x'], new Set([sql]))).toContain('lock');
  });

  it('finds a repository method that has no tour entry', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [ThrowawayModule] }).compile();
    // The throwaway class is declared in this spec, so the scan includes the test folder.
    const [target] = tourTargets(moduleRef, ['test/oracle']);
    expect(target.name).toBe('ThrowawayRepository');
    expect(target.methods).toEqual(['findEverything']);
    expect(entriesFor(target, 'findEverything')).toEqual([]);
    await moduleRef.close();
  });
});
