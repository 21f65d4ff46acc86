export * from './notifications.module';
export * from './entities/email-outbox.entity';
export * from './email.service';
export * from './email-outbox.repository';
export * from './email-templates';
