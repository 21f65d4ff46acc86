import { UsersRepository } from '@fittrack/users';
import { createTestApp, TestApp } from '../support/test-app';
import { lastEmailTo, registration, uniqueEmail } from './helpers';

/** Checkpoint 2, Feature: User Registration. The clock stands at 2026-11-22 noon in New York. */
describe('POST /auth/register', () => {
  let t: TestApp;
  let users: UsersRepository;
  beforeAll(async () => {
    t = await createTestApp({ now: '2026-11-22T17:00:00Z' });
    users = t.app.get(UsersRepository);
  });
  afterAll(() => t.close());

  const register = (body: Record<string, unknown>) => t.http().post('/api/v1/auth/register').send(body);

  it('creates a pending user and sends the verification email (201)', async () => {
    const body = registration({ email: uniqueEmail('NewUser'), date_of_birth: '2001-06-01', state: 'TX' });
    const res = await register(body).expect(201);
    expect(res.body).toEqual({ user_id: expect.any(String), message: 'Verification email sent' });
    const user = await users.get(res.body.user_id);
    expect(user).toMatchObject({
      email: (body.email as string).toLowerCase(),
      status: 'pending',
      emailVerified: false,
      role: 'user',
    });
    expect(user!.passwordHash).toMatch(/^\$2[aby]\$/);
    expect(user!.passwordHash).not.toContain(body.password as string);
    const email = await lastEmailTo(t, body.email as string);
    expect(email).toMatchObject({ template: 'verification', subject: 'Verify your FitTrack email' });
    expect(email.bodyText).toMatch(/verify_token=[A-Za-z0-9_-]{43}/);
    await t.drainJobs();
    expect((await lastEmailTo(t, body.email as string)).status).toBe('sent');
  });

  it('rejects a 17-year-old by calendar birthday in the competition zone (400), creating nothing', async () => {
    const body = registration({ date_of_birth: '2008-11-23' });
    const res = await register(body).expect(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.detail).toBe('Must be 18 or older');
    expect(await users.findByEmail(body.email as string)).toBeNull();
    expect(await lastEmailTo(t, body.email as string)).toBeUndefined();
  });

  it('accepts someone whose 18th birthday is today in New York', async () => {
    await register(registration({ date_of_birth: '2008-11-22' })).expect(201);
  });

  it('uses the competition zone: at 02:00 UTC on the 23rd it is still the 22nd in New York', async () => {
    t.clock.set('2026-11-23T02:00:00Z');
    try {
      const res = await register(registration({ date_of_birth: '2008-11-23' })).expect(400);
      expect(res.body.detail).toBe('Must be 18 or older');
    } finally {
      t.clock.set('2026-11-22T17:00:00Z');
    }
  });

  it.each(['NY', 'FL', 'RI', 'ny'])('rejects excluded state %s (400)', async (state) => {
    const body = registration({ state });
    const res = await register(body).expect(400);
    expect(res.body.detail).toBe('State not eligible for sweepstakes');
    expect(await users.findByEmail(body.email as string)).toBeNull();
  });

  it('rejects a code that is not a US state or DC (422), accepts DC', async () => {
    const res = await register(registration({ state: 'XX' })).expect(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'state' })]);
    await register(registration({ state: 'DC' })).expect(201);
  });

  it('rejects a duplicate email case-insensitively (409) and keeps one record', async () => {
    const email = uniqueEmail('existing');
    await register(registration({ email })).expect(201);
    const res = await register(registration({ email: `  ${email.toUpperCase()} ` })).expect(409);
    expect(res.body.detail).toBe('Email already registered');
    const page = await users.list({ page: 1, per_page: 10, filter: { email } });
    expect(page.meta.total).toBe(1);
  });

  it('answers 409 for an email held by a soft-deleted account', async () => {
    const email = uniqueEmail('deleted');
    const res = await register(registration({ email })).expect(201);
    await users.softDelete(res.body.user_id);
    await register(registration({ email })).expect(409);
  });

  it.each([
    ['weak', ['12 characters', 'upper-case', 'digit', 'symbol']],
    ['alllowercase-with-symbol-1', ['upper-case']],
    ['ALLUPPERCASE-WITH-SYMBOL-1', ['lower-case']],
    ['NoDigitsHere-at-all', ['digit']],
    ['NoSymbols1234abc', ['symbol']],
    [`Aa1!${'x'.repeat(69)}`, ['72 bytes']],
    [`Aa1!${'é'.repeat(35)}`, ['72 bytes']],
  ])('rejects password %j with 422 naming the rules', async (password, rules) => {
    const body = registration({ password });
    const res = await register(body).expect(422);
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors[0].field).toBe('password');
    for (const rule of rules) expect(res.body.errors[0].message).toContain(rule);
    expect(await users.findByEmail(body.email as string)).toBeNull();
  });

  it('accepts exactly 72 bytes and a 12-character password', async () => {
    await register(registration({ password: `Aa1!${'x'.repeat(68)}` })).expect(201);
    await register(registration({ password: 'Abcdefgh1!23' })).expect(201);
  });

  it('rejects unknown fields and a bad date (422)', async () => {
    const res = await register({ ...registration({ date_of_birth: '2000-13-01' }), role: 'admin' }).expect(
      422,
    );
    const fields = res.body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['date_of_birth', 'role']);
  });

  it('stores optional profile fields and computes the tier', async () => {
    const res = await register(
      registration({
        display_name: 'Sam',
        biological_sex: 'female',
        fitness_level: 'advanced',
        date_of_birth: '1990-01-01',
      }),
    ).expect(201);
    const user = await users.get(res.body.user_id);
    expect(user!.profile).toMatchObject({ displayName: 'Sam', tierCode: 'F-30-39-ADV' });
  });
});
