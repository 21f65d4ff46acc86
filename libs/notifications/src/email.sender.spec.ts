import { Logger } from '@nestjs/common';
import { createTransport } from 'nodemailer';
import { type AppConfig, ManualClock, Metrics } from '@fittrack/core';
import type { EmailOutboxRepository } from './email-outbox.repository';
import { EmailSender } from './email.sender';
import type { EmailOutbox } from './entities/email-outbox.entity';

jest.mock('nodemailer', () => ({ createTransport: jest.fn() }));

describe('EmailSender', () => {
  const clock = new ManualClock(new Date('2026-01-16T12:00:00Z'));
  const config = { email: { smtpUrl: 'smtp://mail', from: 'no-reply@x', maxAttempts: 3 } } as AppConfig;
  const email = (attempts: number) =>
    ({
      id: 'e-1',
      toAddress: 'a@b.c',
      subject: 'S',
      bodyText: 't',
      bodyHtml: 'h',
      template: 'welcome',
      attempts,
    }) as EmailOutbox;
  let outbox: { claim: jest.Mock; markSent: jest.Mock; markFailed: jest.Mock };
  let sendMail: jest.Mock;
  let sender: EmailSender;

  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    sendMail = jest.fn().mockResolvedValue({});
    jest.mocked(createTransport).mockReturnValue({ sendMail, close: jest.fn() } as never);
    outbox = { claim: jest.fn(), markSent: jest.fn(), markFailed: jest.fn() };
    sender = new EmailSender(outbox as unknown as EmailOutboxRepository, clock, config, new Metrics());
  });
  afterEach(() => jest.restoreAllMocks());

  it('sends a claimed email once and marks it sent', async () => {
    outbox.claim.mockResolvedValue(email(1));
    await sender.deliver({ outboxId: 'e-1' });
    expect(sendMail).toHaveBeenCalledTimes(1);
    expect(outbox.markSent).toHaveBeenCalledWith('e-1', clock.now());
  });

  it('does not send an email another attempt holds or sent', async () => {
    outbox.claim.mockResolvedValue('taken');
    await sender.deliver({ outboxId: 'e-1' });
    expect(sendMail).not.toHaveBeenCalled();
    expect(outbox.markSent).not.toHaveBeenCalled();
  });

  it('a job whose outbox row is missing logs an error and fails', async () => {
    outbox.claim.mockResolvedValue('missing');
    await expect(sender.deliver({ outboxId: 'gone' })).rejects.toThrow('Email gone is not in the outbox');
    expect(Logger.prototype.error).toHaveBeenCalledWith(expect.stringContaining('gone'));
    expect(sendMail).not.toHaveBeenCalled();
  });

  it('a failure goes back to pending for a retry, until EMAIL_MAX_ATTEMPTS makes it final', async () => {
    sendMail.mockRejectedValue(new Error('421 busy'));
    outbox.claim.mockResolvedValue(email(2));
    await expect(sender.deliver({ outboxId: 'e-1' })).rejects.toThrow('421 busy');
    expect(outbox.markFailed).toHaveBeenLastCalledWith('e-1', 'Error: 421 busy', false);
    outbox.claim.mockResolvedValue(email(3));
    await expect(sender.deliver({ outboxId: 'e-1' })).rejects.toThrow('421 busy');
    expect(outbox.markFailed).toHaveBeenLastCalledWith('e-1', 'Error: 421 busy', true);
    expect(outbox.markSent).not.toHaveBeenCalled();
  });

  it('once SMTP took the email, a failure to record it never puts it back to pending', async () => {
    outbox.claim.mockResolvedValue(email(1));
    outbox.markSent.mockRejectedValue(new Error('db down'));
    await expect(sender.deliver({ outboxId: 'e-1' })).rejects.toThrow('db down');
    expect(outbox.markFailed).not.toHaveBeenCalled();
  });
});
