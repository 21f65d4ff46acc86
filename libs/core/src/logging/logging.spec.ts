import { scrubLogObject } from './logging';

describe('scrubLogObject', () => {
  it('censors secret keys, in any case, on the first four levels, and leaves the rest', () => {
    const object = {
      password: 'p1',
      user_id: 'u1',
      body: { Authorization: 'Bearer x', nested: { email: 'a@b.example', deeper: { token: 't' } } },
      list: [{ refresh_token: 'r' }],
    };
    expect(scrubLogObject(object)).toEqual({
      password: '[redacted]',
      user_id: 'u1',
      body: { Authorization: '[redacted]', nested: { email: '[redacted]', deeper: { token: '[redacted]' } } },
      list: [{ refresh_token: '[redacted]' }],
    });
  });

  it("never changes the caller's objects, and returns them as they are when nothing is secret", () => {
    const body = { password: 'p1' };
    const object = { body, path: '/x' };
    scrubLogObject(object);
    expect(body.password).toBe('p1');
    const clean = { method: 'GET', status: 200, at: new Date(0) };
    expect(scrubLogObject(clean)).toBe(clean);
  });

  it('searches an error and keeps it an error', () => {
    const error = Object.assign(new TypeError('boom'), { config: { apiKey: 'k' } });
    const scrubbed = scrubLogObject({ err: error }).err;
    expect(scrubbed).toBeInstanceOf(TypeError);
    expect(scrubbed.message).toBe('boom');
    expect(scrubbed.stack).toBe(error.stack);
    expect(scrubbed.config).toEqual({ apiKey: '[redacted]' });
    expect(error.config.apiKey).toBe('k');
  });
});
