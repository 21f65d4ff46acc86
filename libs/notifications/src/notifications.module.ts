import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EmailOutbox } from './entities/email-outbox.entity';
import { EmailOutboxRepository } from './email-outbox.repository';
import { EmailSender } from './email.sender';
import { EmailService } from './email.service';
import { AdminEmailsController } from './admin-emails.controller';

@Module({
  imports: [TypeOrmModule.forFeature([EmailOutbox])],
  controllers: [AdminEmailsController],
  providers: [EmailOutboxRepository, EmailService, EmailSender],
  exports: [EmailService, EmailOutboxRepository],
})
export class NotificationsModule {}
