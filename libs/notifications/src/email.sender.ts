import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { type AppConfig, Clock, InjectConfig, JobHandler, JobName } from '@fittrack/core';
import { EmailOutboxRepository } from './email-outbox.repository';
import type { SendEmailJob } from './email.service';

/**
 * Delivers one outbox email over SMTP (SMTP_URL). Without SMTP the outbox is the delivery (development):
 * the email is marked sent so testers read it at /admin/emails. Failures are retried by the queue.
 */
@Injectable()
export class EmailSender implements OnModuleDestroy {
  private readonly logger = new Logger('EmailSender');
  private readonly transport: Transporter | null;

  constructor(
    private readonly outbox: EmailOutboxRepository,
    private readonly clock: Clock,
    @InjectConfig() private readonly config: AppConfig,
  ) {
    this.transport = config.email.smtpUrl ? createTransport(config.email.smtpUrl) : null;
  }

  @JobHandler(JobName.SendEmail)
  async deliver(job: SendEmailJob, attempt: number): Promise<void> {
    const email = await this.outbox.recordAttempt(job.outboxId);
    if (!email) return;
    try {
      await this.transport?.sendMail({
        from: this.config.email.from,
        to: email.toAddress,
        subject: email.subject,
        text: email.bodyText,
        html: email.bodyHtml,
      });
      await this.outbox.markSent(email.id, this.clock.now());
    } catch (error) {
      const final = attempt >= this.config.email.maxAttempts;
      this.logger.warn(`Email ${email.id} (${email.template}) attempt ${attempt} failed: ${String(error)}`);
      await this.outbox.markFailed(email.id, String(error), final);
      throw error;
    }
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }
}
