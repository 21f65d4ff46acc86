import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { DbType, dialectSql } from '@fittrack/core';
import { schemaBuilder } from './schema-builder';

/** The whole product's schema: tables, foreign keys with deliberate ON DELETE, unique keys, checks, indexes. */
export class InitialSchema1763800000000 implements MigrationInterface {
  name = 'InitialSchema1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const db = dbTypeOf(queryRunner);
    const s = schemaBuilder(db);
    const create = (table: Table) => queryRunner.createTable(table, false, true, true);

    await create(
      new Table({
        name: 'users',
        columns: [
          s.id(),
          s.varchar('email', 254),
          s.varchar('password_hash', 100),
          s.varchar('role', 16, { default: "'user'" }),
          s.varchar('status', 16, { default: "'pending'" }),
          s.bool('email_verified', false),
          s.timestamp('email_verified_at', true),
          s.timestamp('last_login_at', true),
          s.int('failed_login_count', { default: 0 }),
          s.timestamp('failed_login_window_start', true),
          s.timestamp('locked_until', true),
          s.int('point_balance', { default: 0 }),
          s.int('total_points_earned', { default: 0 }),
          ...s.audit('soft-delete'),
        ],
        indices: [
          s.index('uq_users_email', ['email'], true),
          s.index('ix_users_role', ['role']),
          s.index('ix_users_status', ['status']),
          s.index('ix_users_created', ['created_at', 'id']),
        ],
        checks: [
          s.check('ck_users_point_balance', '"point_balance" >= 0'),
          s.check('ck_users_total_points', '"total_points_earned" >= 0'),
          s.check('ck_users_role', `"role" IN ('user', 'premium', 'admin')`),
          s.check('ck_users_status', `"status" IN ('pending', 'active', 'suspended')`),
        ],
      }),
    );

    await create(
      new Table({
        name: 'profiles',
        columns: [
          s.id(),
          s.uuid('user_id'),
          s.varchar('display_name', 60),
          s.date('date_of_birth'),
          s.varchar('state', 2),
          s.varchar('biological_sex', 8, { isNullable: true }),
          s.varchar('fitness_level', 16, { isNullable: true }),
          s.bool('open_tier_opt_in', false),
          s.varchar('timezone', 64, { default: "'America/New_York'" }),
          s.varchar('tier_code', 12, { isNullable: true }),
          ...s.audit('mutable'),
        ],
        indices: [
          s.index('uq_profiles_user', ['user_id'], true),
          s.index('ix_profiles_tier_code', ['tier_code']),
        ],
        foreignKeys: [s.fk('fk_profiles_user', 'user_id', 'users', 'CASCADE')],
      }),
    );

    await create(
      new Table({
        name: 'refresh_tokens',
        columns: [
          s.id(),
          s.uuid('user_id'),
          s.varchar('token_hash', 64),
          s.uuid('family_id'),
          s.timestamp('expires_at'),
          s.timestamp('rotated_at', true),
          s.timestamp('revoked_at', true),
          s.uuid('access_jti', true),
          ...s.audit('created'),
        ],
        indices: [
          s.index('uq_refresh_tokens_hash', ['token_hash'], true),
          s.index('ix_refresh_tokens_user', ['user_id']),
          s.index('ix_refresh_tokens_family', ['family_id']),
        ],
        foreignKeys: [s.fk('fk_refresh_tokens_user', 'user_id', 'users', 'CASCADE')],
      }),
    );

    await create(
      new Table({
        name: 'auth_tokens',
        columns: [
          s.id(),
          s.uuid('user_id'),
          s.varchar('purpose', 24),
          s.varchar('token_hash', 64),
          s.timestamp('expires_at'),
          s.timestamp('used_at', true),
          ...s.audit('created'),
        ],
        indices: [
          s.index('uq_auth_tokens_hash', ['token_hash'], true),
          s.index('ix_auth_tokens_user', ['user_id']),
        ],
        foreignKeys: [s.fk('fk_auth_tokens_user', 'user_id', 'users', 'CASCADE')],
      }),
    );

    await create(
      new Table({
        name: 'tracker_connections',
        columns: [
          s.id(),
          s.uuid('user_id'),
          s.varchar('provider', 16),
          s.varchar('terra_user_id', 64, { isNullable: true }),
          s.bool('is_primary', false),
          s.varchar('sync_status', 16, { default: "'pending'" }),
          s.timestamp('last_sync_at', true),
          s.timestamp('last_manual_sync_at', true),
          s.varchar('last_error', 500, { isNullable: true }),
          ...s.audit('soft-delete'),
        ],
        indices: [
          s.index('uq_tracker_connections_user_provider', ['user_id', 'provider'], true),
          s.index('uq_tracker_connections_terra_user', ['terra_user_id'], true),
          s.index('ix_tracker_connections_user', ['user_id']),
          s.index('ix_tracker_connections_sync_status', ['sync_status']),
        ],
        foreignKeys: [s.fk('fk_tracker_connections_user', 'user_id', 'users', 'CASCADE')],
        checks: [
          s.check(
            'ck_tracker_connections_provider',
            `"provider" IN ('fitbit', 'google_fit', 'apple_health')`,
          ),
        ],
      }),
    );

    await create(
      new Table({
        name: 'activities',
        columns: [
          s.id(),
          s.uuid('user_id'),
          s.uuid('connection_id', true),
          s.varchar('provider', 16),
          s.varchar('external_id', 128),
          s.varchar('activity_type', 16),
          s.timestamp('start_time'),
          s.timestamp('end_time'),
          s.int('duration_minutes', { default: 0 }),
          s.varchar('intensity', 16, { isNullable: true }),
          s.json('metrics'),
          s.int('points_earned', { default: 0 }),
          s.bool('is_duplicate', false),
          s.timestamp('processed_at', true),
          ...s.audit('mutable'),
        ],
        indices: [
          s.index('uq_activities_source', ['user_id', 'provider', 'external_id'], true),
          s.index('ix_activities_user_start', ['user_id', 'start_time']),
          s.index('ix_activities_type_start', ['activity_type', 'start_time']),
          s.index('ix_activities_connection', ['connection_id']),
        ],
        foreignKeys: [
          s.fk('fk_activities_user', 'user_id', 'users', 'CASCADE'),
          s.fk('fk_activities_connection', 'connection_id', 'tracker_connections', 'SET NULL'),
        ],
        checks: [
          s.check('ck_activities_type', `"activity_type" IN ('steps', 'workout', 'active_minutes')`),
          s.check('ck_activities_points', '"points_earned" >= 0'),
        ],
      }),
    );
    await queryRunner.query(dialectSql[db].stepsIndex('ix_activities_metrics_steps', 'activities'));

    await create(
      new Table({
        name: 'point_transactions',
        columns: [
          s.id(),
          s.uuid('user_id'),
          s.varchar('transaction_type', 8),
          s.int('amount'),
          s.int('balance_after'),
          s.varchar('reference_type', 24, { isNullable: true }),
          s.uuid('reference_id', true),
          s.varchar('description', 255),
          s.varchar('idempotency_key', 160),
          ...s.audit('created'),
        ],
        indices: [
          s.index('uq_point_transactions_idempotency', ['idempotency_key'], true),
          s.index('ix_point_transactions_user_created', ['user_id', 'created_at']),
          s.index('ix_point_transactions_type', ['transaction_type']),
          s.index('ix_point_transactions_reference', ['reference_type', 'reference_id']),
        ],
        foreignKeys: [s.fk('fk_point_transactions_user', 'user_id', 'users', 'RESTRICT')],
        checks: [
          s.check('ck_point_transactions_balance_after', '"balance_after" >= 0'),
          s.check(
            'ck_point_transactions_type',
            `"transaction_type" IN ('earn', 'spend', 'adjust', 'refund')`,
          ),
        ],
      }),
    );

    await create(
      new Table({
        name: 'sponsors',
        columns: [
          s.id(),
          s.varchar('name', 120),
          s.varchar('contact_email', 254, { isNullable: true }),
          s.varchar('website_url', 500, { isNullable: true }),
          s.varchar('logo_url', 500, { isNullable: true }),
          s.bool('is_active', true),
          ...s.audit('soft-delete'),
        ],
        indices: [s.index('uq_sponsors_name', ['name'], true)],
      }),
    );

    await create(
      new Table({
        name: 'drawings',
        columns: [
          s.id(),
          s.varchar('drawing_type', 8),
          s.varchar('name', 200),
          s.varchar('description', 2000, { isNullable: true }),
          s.int('ticket_cost_points'),
          s.timestamp('opens_at'),
          s.timestamp('ticket_sales_close'),
          s.timestamp('drawing_time'),
          s.varchar('status', 12, { default: "'draft'" }),
          s.json('eligibility'),
          s.int('total_tickets', { default: 0 }),
          s.varchar('seed_commitment', 64, { isNullable: true }),
          s.varchar('seed', 64, { isNullable: true }),
          s.varchar('beacon_round', 32, { isNullable: true }),
          s.varchar('beacon_value', 128, { isNullable: true }),
          s.varchar('tickets_hash', 64, { isNullable: true }),
          s.timestamp('completed_at', true),
          s.uuid('created_by', true),
          ...s.audit('soft-delete'),
        ],
        indices: [
          s.index('ix_drawings_status_time', ['status', 'drawing_time']),
          s.index('ix_drawings_type', ['drawing_type']),
          s.index('ix_drawings_created_by', ['created_by']),
        ],
        foreignKeys: [s.fk('fk_drawings_created_by', 'created_by', 'users', 'SET NULL')],
        checks: [
          s.check('ck_drawings_ticket_cost', '"ticket_cost_points" > 0'),
          s.check('ck_drawings_total_tickets', '"total_tickets" >= 0'),
          s.check('ck_drawings_type', `"drawing_type" IN ('daily', 'weekly', 'monthly', 'annual')`),
          s.check(
            'ck_drawings_status',
            `"status" IN ('draft', 'scheduled', 'open', 'closed', 'completed', 'cancelled')`,
          ),
          s.check(
            'ck_drawings_times',
            '"opens_at" < "ticket_sales_close" AND "ticket_sales_close" < "drawing_time"',
          ),
        ],
      }),
    );

    await create(
      new Table({
        name: 'prizes',
        columns: [
          s.id(),
          s.uuid('drawing_id'),
          s.uuid('sponsor_id', true),
          s.int('rank'),
          s.varchar('name', 200),
          s.varchar('description', 2000, { isNullable: true }),
          s.decimal('value_usd', 10, 2),
          s.varchar('fulfillment_type', 8),
          s.varchar('digital_code', 200, { isNullable: true }),
          ...s.audit('mutable'),
        ],
        indices: [
          s.index('uq_prizes_drawing_rank', ['drawing_id', 'rank'], true),
          s.index('ix_prizes_sponsor', ['sponsor_id']),
        ],
        foreignKeys: [
          s.fk('fk_prizes_drawing', 'drawing_id', 'drawings', 'CASCADE'),
          s.fk('fk_prizes_sponsor', 'sponsor_id', 'sponsors', 'SET NULL'),
        ],
        checks: [
          s.check('ck_prizes_rank', '"rank" >= 1'),
          s.check('ck_prizes_value', '"value_usd" >= 0'),
          s.check('ck_prizes_fulfillment_type', `"fulfillment_type" IN ('physical', 'digital')`),
        ],
      }),
    );

    await create(
      new Table({
        name: 'tickets',
        columns: [
          s.id(),
          s.uuid('drawing_id'),
          s.uuid('user_id'),
          s.int('ticket_number'),
          s.uuid('purchase_transaction_id'),
          s.bool('is_winner', false),
          s.uuid('prize_id', true),
          ...s.audit('created'),
        ],
        indices: [
          s.index('uq_tickets_drawing_number', ['drawing_id', 'ticket_number'], true),
          s.index('ix_tickets_drawing_user', ['drawing_id', 'user_id']),
          s.index('ix_tickets_user', ['user_id']),
          s.index('ix_tickets_purchase', ['purchase_transaction_id']),
          s.index('ix_tickets_prize', ['prize_id']),
        ],
        foreignKeys: [
          s.fk('fk_tickets_drawing', 'drawing_id', 'drawings', 'RESTRICT'),
          s.fk('fk_tickets_user', 'user_id', 'users', 'RESTRICT'),
          s.fk('fk_tickets_purchase', 'purchase_transaction_id', 'point_transactions', 'RESTRICT'),
          s.fk('fk_tickets_prize', 'prize_id', 'prizes', 'SET NULL'),
        ],
        checks: [s.check('ck_tickets_number', '"ticket_number" >= 1')],
      }),
    );

    await create(
      new Table({
        name: 'prize_fulfillments',
        columns: [
          s.id(),
          s.uuid('ticket_id'),
          s.uuid('prize_id'),
          s.uuid('user_id'),
          s.varchar('status', 20, { default: "'pending'" }),
          s.json('shipping_address', true),
          s.varchar('carrier', 40, { isNullable: true }),
          s.varchar('tracking_number', 80, { isNullable: true }),
          s.varchar('notes', 2000, { isNullable: true }),
          s.timestamp('notified_at', true),
          s.timestamp('reminder_sent_at', true),
          s.timestamp('address_confirmed_at', true),
          s.timestamp('shipped_at', true),
          s.timestamp('delivered_at', true),
          s.timestamp('forfeited_at', true),
          ...s.audit('mutable'),
        ],
        indices: [
          s.index('uq_prize_fulfillments_ticket', ['ticket_id'], true),
          s.index('ix_prize_fulfillments_prize', ['prize_id']),
          s.index('ix_prize_fulfillments_user', ['user_id']),
          s.index('ix_prize_fulfillments_status', ['status', 'notified_at']),
        ],
        foreignKeys: [
          s.fk('fk_prize_fulfillments_ticket', 'ticket_id', 'tickets', 'RESTRICT'),
          s.fk('fk_prize_fulfillments_prize', 'prize_id', 'prizes', 'RESTRICT'),
          s.fk('fk_prize_fulfillments_user', 'user_id', 'users', 'RESTRICT'),
        ],
        checks: [
          s.check(
            'ck_prize_fulfillments_status',
            `"status" IN ('pending', 'winner_notified', 'address_confirmed', 'shipped', 'delivered', 'forfeited')`,
          ),
        ],
      }),
    );

    await create(
      new Table({
        name: 'email_outbox',
        columns: [
          s.id(),
          s.varchar('to_address', 254),
          s.varchar('subject', 200),
          s.varchar('template', 40),
          s.text('body_text'),
          s.text('body_html'),
          s.varchar('status', 8, { default: "'pending'" }),
          s.int('attempts', { default: 0 }),
          s.varchar('last_error', 1000, { isNullable: true }),
          s.timestamp('sent_at', true),
          ...s.audit('mutable'),
        ],
        indices: [
          s.index('ix_email_outbox_to_created', ['to_address', 'created_at']),
          s.index('ix_email_outbox_status', ['status']),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'email_outbox',
      'prize_fulfillments',
      'tickets',
      'prizes',
      'drawings',
      'sponsors',
      'point_transactions',
      'activities',
      'tracker_connections',
      'auth_tokens',
      'refresh_tokens',
      'profiles',
      'users',
    ]) {
      await queryRunner.dropTable(table, true, true, true);
    }
  }
}

function dbTypeOf(queryRunner: QueryRunner): DbType {
  const type = queryRunner.connection.options.type;
  return type === 'postgres' || type === 'oracle' ? type : 'sqlite';
}
