import { Injectable } from '@nestjs/common';
import { BaseRepository, DataContext } from '@fittrack/core';
import { EmailOutbox } from './entities/email-outbox.entity';

@Injectable()
export class EmailOutboxRepository extends BaseRepository<EmailOutbox> {
  protected readonly entityName = 'Email';

  constructor(data: DataContext) {
    super(data, EmailOutbox, {
      filters: { to: 'toAddress', status: 'status', template: 'template' },
      sorts: { created_at: 'createdAt' },
      defaultSort: '-created_at',
    });
  }

  /** Claims a pending email for one send attempt; false when another attempt already sent it. */
  async recordAttempt(id: string): Promise<EmailOutbox | null> {
    const email = await this.get(id);
    if (!email || email.status === 'sent') return null;
    await this.repository.increment({ id }, 'attempts', 1);
    email.attempts += 1;
    return email;
  }

  async markSent(id: string, sentAt: Date): Promise<void> {
    await this.repository.update({ id }, { status: 'sent', sentAt, lastError: null });
  }

  async markFailed(id: string, error: string, final: boolean): Promise<void> {
    await this.repository.update(
      { id },
      { status: final ? 'failed' : 'pending', lastError: error.slice(0, 1000) },
    );
  }
}
