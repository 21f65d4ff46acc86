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

  /**
   * Claims a pending email for one send attempt: one conditional update (pending → sending, attempts + 1),
   * so of two workers holding the same row exactly one sends. `missing` when the row does not exist,
   * `taken` when it is being sent, was sent, or failed for good.
   */
  async claim(id: string): Promise<EmailOutbox | 'missing' | 'taken'> {
    const result = await this.repository.update(
      { id, status: 'pending' },
      { status: 'sending', attempts: () => 'attempts + 1' },
    );
    const email = await this.get(id);
    if (!email) return 'missing';
    return result.affected === 1 ? email : 'taken';
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
