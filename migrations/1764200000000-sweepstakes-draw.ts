import { MigrationInterface, QueryRunner, Table, TableCheck, TableColumn } from 'typeorm';
import { DbType } from '@fittrack/core';
import { addColumns, dropColumns, schemaBuilder } from './schema-builder';

const dbOf = (queryRunner: QueryRunner): DbType => {
  const type = queryRunner.connection.options.type;
  return type === 'postgres' || type === 'oracle' ? type : 'sqlite';
};

const FULFILLMENT_STATUSES = (statuses: string[]) =>
  `"status" IN (${statuses.map((status) => `'${status}'`).join(', ')})`;
const OLD_STATUSES = ['pending', 'winner_notified', 'address_confirmed', 'shipped', 'delivered', 'forfeited'];

/**
 * Free tickets have no purchase: tickets.purchase_transaction_id becomes nullable (and back). In place on
 * PostgreSQL and Oracle, where TypeORM's changeColumn would drop the column's foreign key; SQLite can only
 * rebuild the table, which keeps it.
 */
async function purchaseNullable(queryRunner: QueryRunner, nullable: boolean): Promise<void> {
  const db = dbOf(queryRunner);
  if (db === 'postgres') {
    await queryRunner.query(
      `ALTER TABLE "tickets" ALTER COLUMN "purchase_transaction_id" ${nullable ? 'DROP' : 'SET'} NOT NULL`,
    );
  } else if (db === 'oracle') {
    await queryRunner.query(
      `ALTER TABLE "tickets" MODIFY ("purchase_transaction_id" ${nullable ? 'NULL' : 'NOT NULL'})`,
    );
  } else {
    const tickets = (await queryRunner.getTable('tickets'))!;
    const column = schemaBuilder(db).uuid('purchase_transaction_id', nullable);
    await queryRunner.changeColumn(tickets, 'purchase_transaction_id', new TableColumn(column));
  }
}

/**
 * The verifiable draw (fair-draw.md) and what surrounds it: free-entry tickets (no ledger entry), the
 * secret seed in a table of its own (no drawing read can select it), the beacon round's signature and
 * chain, the counter re-draws continue from, the re-draws in order, the admin audit log, W-9 receipt and
 * prizes returned to their sponsor.
 */
export class SweepstakesDraw1764200000000 implements MigrationInterface {
  name = 'SweepstakesDraw1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaBuilder(dbOf(queryRunner));
    const create = (table: Table) => queryRunner.createTable(table, false, true, true);

    await purchaseNullable(queryRunner, true);
    // In place on SQLite (schema-builder): a table rebuild fails once other rows reference the table.
    await addColumns(queryRunner, 'tickets', [s.bool('is_free', false)]);

    await addColumns(queryRunner, 'drawings', [
      s.varchar('beacon_chain_hash', 64, { isNullable: true }),
      s.varchar('beacon_signature', 256, { isNullable: true }),
      s.int('draw_counter', { isNullable: true }),
    ]);

    await create(
      new Table({
        name: 'drawing_seeds',
        columns: [{ ...s.uuid('drawing_id'), isPrimary: true }, s.varchar('seed', 64), ...s.audit('created')],
        foreignKeys: [s.fk('fk_drawing_seeds_drawing', 'drawing_id', 'drawings', 'CASCADE')],
      }),
    );

    await create(
      new Table({
        name: 'drawing_redraws',
        columns: [
          s.id(),
          s.uuid('drawing_id'),
          s.int('sequence'),
          s.int('prize_rank'),
          s.int('ticket_number'),
          s.uuid('user_id'),
          s.int('replaces_ticket'),
          ...s.audit('created'),
        ],
        indices: [s.index('uq_drawing_redraws_sequence', ['drawing_id', 'sequence'], true)],
        foreignKeys: [s.fk('fk_drawing_redraws_drawing', 'drawing_id', 'drawings', 'RESTRICT')],
      }),
    );

    await create(
      new Table({
        name: 'audit_log',
        columns: [
          s.id(),
          s.uuid('actor_id', true),
          s.varchar('action', 40),
          s.varchar('entity_type', 30),
          s.uuid('entity_id'),
          s.json('before_state', true),
          s.json('after_state', true),
          ...s.audit('created'),
        ],
        indices: [
          s.index('ix_audit_log_entity', ['entity_type', 'entity_id']),
          s.index('ix_audit_log_created', ['created_at']),
        ],
      }),
    );

    await addColumns(queryRunner, 'prize_fulfillments', [s.timestamp('w9_received_at', true)]);
    await queryRunner.dropCheckConstraint('prize_fulfillments', 'ck_prize_fulfillments_status');
    await queryRunner.createCheckConstraint(
      'prize_fulfillments',
      new TableCheck({
        name: 'ck_prize_fulfillments_status',
        expression: FULFILLMENT_STATUSES([...OLD_STATUSES, 'returned_to_sponsor']),
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropCheckConstraint('prize_fulfillments', 'ck_prize_fulfillments_status');
    await queryRunner.createCheckConstraint(
      'prize_fulfillments',
      new TableCheck({
        name: 'ck_prize_fulfillments_status',
        expression: FULFILLMENT_STATUSES(OLD_STATUSES),
      }),
    );
    await dropColumns(queryRunner, 'prize_fulfillments', ['w9_received_at']);
    await queryRunner.dropTable('audit_log', true, true, true);
    await queryRunner.dropTable('drawing_redraws', true, true, true);
    await queryRunner.dropTable('drawing_seeds', true, true, true);
    await dropColumns(queryRunner, 'drawings', ['draw_counter', 'beacon_signature', 'beacon_chain_hash']);
    await dropColumns(queryRunner, 'tickets', ['is_free']);
    await purchaseNullable(queryRunner, false);
  }
}
