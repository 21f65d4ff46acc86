import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { UsersRepository } from '@fittrack/users';
import { createTestApp, TestApp } from '../support/test-app';
import { registration } from './helpers';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

/** Registration email delivered through a real SMTP server (smtp-server on 127.0.0.1, random port). */
describe('verification email over SMTP', () => {
  let server: SMTPServer;
  let t: TestApp;
  const received: Received[] = [];
  let previous: string | undefined;

  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.server.address() as AddressInfo;
    previous = process.env.SMTP_URL;
    process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (previous === undefined) delete process.env.SMTP_URL;
    else process.env.SMTP_URL = previous;
  });

  it('delivers the verification email; its link verifies the account', async () => {
    const body = registration();
    const res = await t.http().post('/api/v1/auth/register').send(body).expect(201);
    await t.drainJobs();

    const message = received.find((m) => m.to.includes(body.email));
    expect(message).toBeDefined();
    expect(message!.from).toBe('no-reply@fittrack.local');
    expect(message!.raw).toMatch(/^Subject: Verify your FitTrack email$/m);
    expect(message!.raw).toMatch(new RegExp(`^To: ${body.email.replace(/[.+]/g, '\\$&')}$`, 'm'));
    // Undo quoted-printable: soft line breaks and `=XX` escapes (the link's `=` arrives as `=3D`).
    const text = message!.raw
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    const token = /verify_token=([A-Za-z0-9_-]{43})/.exec(text)?.[1];
    expect(token).toBeDefined();

    await t.http().post('/api/v1/auth/verify-email').send({ token }).expect(200);
    const user = await t.app.get(UsersRepository).get(res.body.user_id);
    expect(user).toMatchObject({ status: 'active', emailVerified: true });
    await t.drainJobs();
    expect(received.filter((m) => m.to.includes(body.email))).toHaveLength(2);
    expect(received.at(-1)!.raw).toMatch(/^Subject: Welcome to FitTrack$/m);
  });
});
