import { MigrationInterface, QueryRunner } from 'typeorm';
import { DbType } from '@fittrack/core';
import { addColumns, dropColumns, schemaBuilder } from './schema-builder';

/**
 * The ledger's per-user sequence (1, 2, 3, … with `balance_after` chaining along it) and the day an
 * earning entry counts for. Existing entries are numbered in their creation order.
 */
export class LedgerSequence1764050000000 implements MigrationInterface {
  name = 'LedgerSequence1764050000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const type = queryRunner.connection.options.type;
    const s = schemaBuilder((type === 'postgres' || type === 'oracle' ? type : 'sqlite') as DbType);
    await addColumns(queryRunner, 'point_transactions', [
      s.int('sequence', { default: 0 }),
      s.varchar('earned_on', 10, { isNullable: true }),
    ]);
    // Quoted identifiers: the same statement on SQLite, PostgreSQL and Oracle.
    await queryRunner.query(
      `UPDATE "point_transactions" SET "sequence" = (SELECT COUNT(*) FROM "point_transactions" "p"
        WHERE "p"."user_id" = "point_transactions"."user_id"
          AND ("p"."created_at" < "point_transactions"."created_at"
            OR ("p"."created_at" = "point_transactions"."created_at" AND "p"."id" <= "point_transactions"."id")))`,
    );
    await queryRunner.createIndices('point_transactions', [
      s.index('uq_point_transactions_sequence', ['user_id', 'sequence'], true),
      s.index('ix_point_transactions_earned_on', ['user_id', 'earned_on']),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('point_transactions', 'ix_point_transactions_earned_on');
    await queryRunner.dropIndex('point_transactions', 'uq_point_transactions_sequence');
    await dropColumns(queryRunner, 'point_transactions', ['earned_on', 'sequence']);
  }
}
