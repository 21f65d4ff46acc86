import { writeFileSync } from 'node:fs';
import type { TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { bootOnStandIn } from './oracle-app';
import { checkStatements, formatViolations } from './oracle-checker';
import { OracleStandIn } from './oracledb-stand-in';
import { entriesFor, kitFor, recordLockRequests, tourTargets } from './tour';

/**
 * The Oracle dialect tour (issue 8, docs/oracle.md): every migration up and down, then every public method
 * of every data-access provider, on TypeORM's real Oracle driver with the recording stand-in; every
 * statement is then checked against the PL/SQL grammar and Oracle's rules. It prints what it covered.
 */
describe('Oracle dialect', () => {
  const standIn = new OracleStandIn();
  const locks = recordLockRequests();
  const covered: string[] = [];
  let moduleRef: TestingModule;
  let dataSource: DataSource;

  beforeAll(async () => {
    moduleRef = await bootOnStandIn(standIn);
    dataSource = moduleRef.get(DataSource);
  });

  afterAll(async () => {
    locks.restore();
    // ORACLE_TOUR_SQL=<file> writes every recorded statement, for reading the Oracle SQL the code issues.
    if (process.env.ORACLE_TOUR_SQL) {
      const lines = standIn.statements.map(
        (s) => `-- ${s.context}\n${s.sql};  -- binds ${JSON.stringify(s.binds)}`,
      );
      writeFileSync(process.env.ORACLE_TOUR_SQL, `${lines.join('\n')}\n`);
    }
    await moduleRef?.close();
    console.log(
      `Oracle dialect tour covered:\n  ${covered.join('\n  ')}\n${standIn.statements.length} statements checked`,
    );
  });

  it('runs every migration up, down and up again', async () => {
    standIn.context = 'migrations up';
    await dataSource.runMigrations({ transaction: 'each' });
    expect(standIn.executedMigrations).toHaveLength(MIGRATIONS.length);
    standIn.context = 'migrations down';
    while (standIn.executedMigrations.length) await dataSource.undoLastMigration({ transaction: 'each' });
    expect([...standIn.tables.keys()]).toEqual(['migrations']);
    standIn.context = 'migrations up again';
    await dataSource.runMigrations({ transaction: 'each' });
    covered.push(`migrations (up, down, up): ${MIGRATIONS.map((m) => m.name).join(', ')}`);
  });

  it('calls every public method of every data-access provider', async () => {
    const kit = kitFor(standIn, moduleRef);
    const missing: string[] = [];
    const failed: string[] = [];
    for (const target of tourTargets(moduleRef)) {
      const done: string[] = [];
      for (const method of target.methods) {
        const entries = entriesFor(target, method);
        if (!entries.length) missing.push(`${target.name}.${method}`);
        for (const entry of entries) {
          if (typeof entry === 'string') continue;
          standIn.context = `${target.name}.${method}`;
          try {
            await entry(target.instance as never, kit);
          } catch (error) {
            failed.push(`${target.name}.${method}: ${(error as Error).message}`);
          }
        }
        done.push(method);
      }
      covered.push(`${target.name}: ${done.join(', ')}`);
    }
    expect({ missing, failed }).toEqual({ missing: [], failed: [] });
  });

  it('issues only SQL that Oracle accepts', () => {
    const schemaNames = new Set(
      [...standIn.tables.values()].flatMap((table) => [table.name, ...table.columns.map((c) => c.name)]),
    );
    const violations = checkStatements(standIn.statements, { lockRequested: locks.requested, schemaNames });
    if (violations.length) console.log(formatViolations(violations));
    const distinct = new Set(violations.map((v) => `[${v.rule}] ${v.statement.context}: ${v.message}`));
    expect([...distinct]).toEqual([]);
  });
});
