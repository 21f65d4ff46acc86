import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * The retention purge (`WebhookEventsRepository.deleteFinishedBefore`) picks finished events older than
 * a cutoff: with an index on the status alone it read every processed event to test its age. Status
 * then creation time serves it as a range, and still serves lookups by status. Reversible: indexes only.
 */
export class WebhookPurgeIndex1764400000000 implements MigrationInterface {
  name = 'WebhookPurgeIndex1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('terra_webhook_events', 'ix_terra_webhook_events_status');
    await queryRunner.createIndex(
      'terra_webhook_events',
      new TableIndex({
        name: 'ix_terra_webhook_events_status_created',
        columnNames: ['status', 'created_at'],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('terra_webhook_events', 'ix_terra_webhook_events_status_created');
    await queryRunner.createIndex(
      'terra_webhook_events',
      new TableIndex({ name: 'ix_terra_webhook_events_status', columnNames: ['status'] }),
    );
  }
}
