import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PointsModule } from '@fittrack/points';
import { TrackerConnection } from './entities/tracker-connection.entity';
import { Activity } from './entities/activity.entity';
import { ActivityFlag } from './entities/activity-flag.entity';
import { ActivitiesRepository } from './activities.repository';
import { ActivitiesService } from './activities.service';
import { ActivitiesController } from './activities.controller';
import { ActivityFlagsRepository } from './activity-flags.repository';
import { ActivityFlagsService } from './activity-flags.service';
import { ActivityFlagsController } from './activity-flags.controller';
import { IngestionService } from './ingestion.service';
import { NotificationsModule } from '@fittrack/notifications';
import { TerraWebhookEvent } from './entities/terra-webhook-event.entity';
import { ConnectionsController } from './connections.controller';
import { ConnectionsRepository } from './connections.repository';
import { ConnectionsService } from './connections.service';
import { SyncService } from './sync.service';
import { WebhooksController } from './webhooks.controller';
import { WebhookEventsRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';
import { WebhookRetentionHandler } from './webhook-retention.job';
import { TERRA_PROVIDERS, TerraRuntime } from './terra/terra.providers';

@Module({
  imports: [
    TypeOrmModule.forFeature([TrackerConnection, Activity, ActivityFlag, TerraWebhookEvent]),
    PointsModule,
    NotificationsModule,
  ],
  // Fixed paths such as `/activities/summary` are declared before ActivitiesController's `/:id`.
  controllers: [ActivitiesController, ActivityFlagsController, ConnectionsController, WebhooksController],
  providers: [
    ActivitiesRepository,
    ActivitiesService,
    ActivityFlagsRepository,
    ActivityFlagsService,
    IngestionService,
    ConnectionsRepository,
    ConnectionsService,
    SyncService,
    WebhookEventsRepository,
    WebhooksService,
    WebhookRetentionHandler,
    ...TERRA_PROVIDERS,
  ],
  exports: [ActivitiesRepository, IngestionService, SyncService, TerraRuntime, WebhooksService],
})
export class TrackersModule {}
