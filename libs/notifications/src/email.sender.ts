import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { type AppConfig, Clock, InjectConfig, JobHandler, JobName, Metrics } from '@fittrack/core';
import { EmailOutboxRepository } from './email-outbox.repository';
import type { SendEmailJob } from './email.service';

/**
 * Delivers one outbox email over SMTP (SMTP_URL). Without SMTP the outbox is the delivery (development):
 * the email is marked sent so testers read it at /admin/emails. Each attempt first claims the row, so an
 * email is sent at most once however many workers hold its job; failures go back to pending and are
 * retried by the queue, up to EMAIL_MAX_ATTEMPTS. A worker dying mid-send leaves the row `sending`: it is
 * not sent again, because it may have gone out (visible at /admin/emails).
 */
@Injectable()
export class EmailSender implements OnModuleDestroy {
  private readonly logger = new Logger('EmailSender');
  private readonly transport: Transporter | null;

  constructor(
    private readonly outbox: EmailOutboxRepository,
    private readonly clock: Clock,
    @InjectConfig() private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {
    this.transport = config.email.smtpUrl ? createTransport(config.email.smtpUrl) : null;
  }

  @JobHandler(JobName.SendEmail)
  async deliver(job: SendEmailJob): Promise<void> {
    const email = await this.outbox.claim(job.outboxId);
    if (email === 'missing') {
      // Enqueued after its row committed, so a missing row is a bug or a deleted row: say so, and fail.
      this.logger.error(`Email ${job.outboxId} is not in the outbox; nothing was sent`);
      throw new Error(`Email ${job.outboxId} is not in the outbox`);
    }
    if (email === 'taken') {
      this.logger.log(`Email ${job.outboxId} is sent, being sent, or failed for good; not sending it again`);
      return;
    }
    try {
      await this.transport?.sendMail({
        from: this.config.email.from,
        to: email.toAddress,
        subject: email.subject,
        text: email.bodyText,
        html: email.bodyHtml,
      });
    } catch (error) {
      const final = email.attempts >= this.config.email.maxAttempts;
      this.logger.warn(
        `Email ${email.id} (${email.template}) attempt ${email.attempts} failed: ${String(error)}`,
      );
      this.metrics.emails.inc({ outcome: 'failed' });
      await this.outbox.markFailed(email.id, String(error), final);
      throw error;
    }
    // Outside the try: once SMTP took it, a failure here must not put the row back to pending (a resend).
    this.metrics.emails.inc({ outcome: 'sent' });
    await this.outbox.markSent(email.id, this.clock.now());
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }
}
