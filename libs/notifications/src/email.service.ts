import { Injectable } from '@nestjs/common';
import { type AppConfig, InjectConfig, JobName, QueuePort } from '@fittrack/core';
import { EmailOutboxRepository } from './email-outbox.repository';
import { EmailTemplateName, TEMPLATES } from './email-templates';

type TemplateData<T extends EmailTemplateName> = Parameters<(typeof TEMPLATES)[T]>[0];

export interface SendEmailJob {
  outboxId: string;
}

/** Records an email in the outbox and queues its delivery. */
@Injectable()
export class EmailService {
  constructor(
    private readonly outbox: EmailOutboxRepository,
    private readonly queue: QueuePort,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /**
   * Called inside the unit of work of the change that causes it, the email exists only if that change
   * commits; the caller queues the job after commit via `dispatch`.
   */
  async record<T extends EmailTemplateName>(to: string, template: T, data: TemplateData<T>): Promise<string> {
    const rendered = (
      TEMPLATES[template] as (d: TemplateData<T>) => { subject: string; text: string; html: string }
    )(data);
    const email = await this.outbox.create({
      toAddress: to,
      template,
      subject: rendered.subject,
      bodyText: rendered.text,
      bodyHtml: rendered.html,
      status: 'pending',
      attempts: 0,
    });
    return email.id;
  }

  async dispatch(outboxId: string): Promise<void> {
    // EMAIL_MAX_ATTEMPTS is the one retry setting: the queue's attempts and the sender's "final" agree.
    await this.queue.enqueue<SendEmailJob>(
      JobName.SendEmail,
      { outboxId },
      { jobId: `email:${outboxId}`, attempts: this.config.email.maxAttempts },
    );
  }

  async send<T extends EmailTemplateName>(to: string, template: T, data: TemplateData<T>): Promise<void> {
    await this.dispatch(await this.record(to, template, data));
  }
}
