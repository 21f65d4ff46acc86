import { parseConfig } from '../config/app-config';
import { scrubEvent, sentryRelease } from './sentry';

describe('scrubEvent', () => {
  it('drops bodies, cookies, queries and user data; censors the logging list and masks emails', () => {
    const event = scrubEvent({
      message: 'could not mail ann.lee@example.org',
      request: {
        url: 'https://api.example.com/api/v1/auth/verify?token=t0k3n',
        query_string: 'token=t0k3n',
        data: { password: 'pw-123' },
        cookies: { refresh_token: 'r3fr3sh' },
        headers: { Authorization: 'Bearer abc', cookie: 'refresh_token=r3fr3sh', 'x-request-id': 'r1' },
      },
      user: { id: 'u1', email: 'ann.lee@example.org', ip_address: '10.0.0.1' },
      extra: { shipping: { address_line1: '1 Main St', city: 'Austin' }, dateOfBirth: '1990-01-01' },
      breadcrumbs: [
        { category: 'http', data: { url: 'https://terra/x?user=ann@example.org', status_code: 200 } },
      ],
      release: 'fittrack@0.1.0',
    });
    expect(event.request).toEqual({
      url: 'https://api.example.com/api/v1/auth/verify',
      headers: { Authorization: '[redacted]', cookie: '[redacted]', 'x-request-id': 'r1' },
    });
    expect(event.user).toEqual({ id: 'u1' });
    expect(event.extra).toEqual({
      shipping: { address_line1: '[redacted]', city: 'Austin' },
      dateOfBirth: '[redacted]',
    });
    expect(event.message).toBe('could not mail [email]');
    expect(event.breadcrumbs?.[0].data).toEqual({ url: 'https://terra/x', status_code: 200 });
    // Not an address: a release is name@version.
    expect(event.release).toBe('fittrack@0.1.0');
  });
});

describe('Sentry configuration', () => {
  it('is off by default; SENTRY_DSN must be a URL, GIT_SHA a commit hash', () => {
    expect(parseConfig({}).sentry).toEqual({ dsn: undefined, gitSha: undefined });
    expect(() => parseConfig({ SENTRY_DSN: 'not a url', GIT_SHA: 'main' })).toThrow(
      /SENTRY_DSN must be a https: or http: URL[\s\S]*GIT_SHA must be a commit hash/,
    );
  });

  it('tags the release with GIT_SHA, else the package version', () => {
    expect(sentryRelease(parseConfig({ GIT_SHA: 'a1b2c3d' }))).toBe('a1b2c3d');
    expect(sentryRelease(parseConfig({}))).toMatch(/^fittrack@\d+\.\d+\.\d+/);
  });
});
