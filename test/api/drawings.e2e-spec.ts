import { createHash } from 'node:crypto';
import { Drawing, DrawingSeed, Prize } from '@fittrack/sweepstakes';
import { createTestApp, TestApp } from '../support/test-app';
import { ApiClient, asAdmin, asUser } from '../support/api-client';
import { createUser, dataSource } from './fixtures';

const drawingBody = (overrides: Record<string, unknown> = {}) => ({
  drawing_type: 'daily',
  name: 'Daily Drawing - Jan 16, 2026',
  description: 'One winner',
  ticket_cost_points: 100,
  opens_at: '2026-01-16T05:00:00Z',
  ticket_sales_close: '2026-01-16T20:55:00Z',
  drawing_time: '2026-01-16T21:00:00Z',
  prizes: [
    {
      rank: 1,
      name: '$50 Amazon Gift Card',
      value_usd: 50,
      fulfillment_type: 'digital',
      sponsor_id: null,
      digital_code: 'SECRET-CODE',
    },
    { rank: 2, name: 'Water bottle', value_usd: 12.5, fulfillment_type: 'physical' },
  ],
  eligibility: { user_type: 'all', min_account_age_days: 7 },
  ...overrides,
});

describe('drawings API', () => {
  let t: TestApp;
  let admin: ApiClient;

  beforeAll(async () => {
    t = await createTestApp({ now: '2026-01-15T12:00:00Z' });
    admin = await asAdmin(t);
  });
  afterAll(() => t.close());

  const create = async (overrides: Record<string, unknown> = {}) =>
    (await admin.post('/admin/drawings').send(drawingBody(overrides)).expect(201)).body;

  it('POST /admin/drawings creates a draft with its prizes; codes are never returned', async () => {
    const body = await create();
    expect(body).toMatchObject({
      id: expect.any(String),
      status: 'draft',
      drawing_type: 'daily',
      ticket_cost_points: 100,
      ticket_sales_close: '2026-01-16T20:55:00.000Z',
      drawing_time: '2026-01-16T21:00:00.000Z',
      total_tickets: 0,
      seed_commitment: null,
      eligibility: { user_type: 'all', min_account_age_days: 7 },
      prizes: [
        { rank: 1, name: '$50 Amazon Gift Card', value_usd: 50, fulfillment_type: 'digital' },
        { rank: 2, name: 'Water bottle', value_usd: 12.5, fulfillment_type: 'physical' },
      ],
    });
    expect(JSON.stringify(body)).not.toContain('SECRET-CODE');
    const prizes = await dataSource(t)
      .getRepository(Prize)
      .find({
        where: { drawingId: body.id },
        select: { id: true, rank: true, digitalCode: true },
        order: { rank: 'ASC' },
      });
    expect(prizes.map((p) => [p.rank, p.digitalCode])).toEqual([
      [1, 'SECRET-CODE'],
      [2, null],
    ]);
    const fetched = await admin.get(`/drawings/${body.id}`).expect(200);
    expect(fetched.body).toEqual({ ...body, my_tickets: 0, odds: null, odds_if_buy_one: '1 in 1' });
  });

  it('sales close must be before the drawing time, and opening before sales close; nothing is stored', async () => {
    const before = await dataSource(t).getRepository(Drawing).count();
    const late = await admin
      .post('/admin/drawings')
      .send(drawingBody({ ticket_sales_close: '2026-01-16T21:00:00Z' }))
      .expect(422);
    expect(late.headers['content-type']).toContain('application/problem+json');
    expect(late.body.detail).toBe('Sales close time must be before drawing time');
    expect(late.body.errors).toEqual([
      { field: 'ticket_sales_close', message: 'Sales close time must be before drawing time' },
    ]);
    const opens = await admin
      .post('/admin/drawings')
      .send(drawingBody({ opens_at: '2026-01-16T20:55:00Z' }))
      .expect(422);
    expect(opens.body.detail).toBe('Opening time must be before sales close time');
    await admin
      .post('/admin/drawings')
      .send(drawingBody({ prizes: [{ ...drawingBody().prizes[1], rank: 2 }] }))
      .expect(422);
    await admin
      .post('/admin/drawings')
      .send(drawingBody({ drawing_time: 'tomorrow' }))
      .expect(422);
    await admin
      .post('/admin/drawings')
      .send(drawingBody({ prizes: [] }))
      .expect(422);
    expect(await dataSource(t).getRepository(Drawing).count()).toBe(before);
  });

  it('follows the state machine; scheduling publishes a seed commitment without revealing the seed', async () => {
    const { id } = await create();
    const scheduled = await admin.put(`/admin/drawings/${id}`).send({ status: 'scheduled' }).expect(200);
    expect(scheduled.body.status).toBe('scheduled');
    expect(scheduled.body.seed_commitment).toMatch(/^[0-9a-f]{64}$/);
    expect(scheduled.body.seed).toBeNull();
    // The secret seed lives in a table of its own; the drawing row holds none until the draw.
    expect((await dataSource(t).getRepository(Drawing).findOneByOrFail({ id })).seed).toBeNull();
    const stored = await dataSource(t).getRepository(DrawingSeed).findOneByOrFail({ drawingId: id });
    expect(createHash('sha256').update(Buffer.from(stored.seed, 'hex')).digest('hex')).toBe(
      scheduled.body.seed_commitment,
    );

    const skip = await admin.put(`/admin/drawings/${id}`).send({ status: 'completed' }).expect(409);
    expect(skip.body.detail).toBe('Cannot transition from scheduled to completed');
    await admin.put(`/admin/drawings/${id}`).send({ status: 'open' }).expect(200);
    const back = await admin.put(`/admin/drawings/${id}`).send({ status: 'draft' }).expect(409);
    expect(back.body.detail).toBe('Cannot transition from open to draft');
    const edit = await admin.put(`/admin/drawings/${id}`).send({ name: 'Renamed' }).expect(409);
    expect(edit.body.detail).toContain('only be edited while draft or scheduled');
    await admin.put(`/admin/drawings/${id}`).send({ status: 'closed' }).expect(200);
    const done = await admin.put(`/admin/drawings/${id}`).send({ status: 'completed' }).expect(409);
    expect(done.body.detail).toBe('A drawing is completed by executing it');
    expect((await dataSource(t).getRepository(Drawing).findOneByOrFail({ id })).status).toBe('closed');
  });

  it('edits fields and replaces prizes while draft; cancelled is final', async () => {
    const { id } = await create();
    const res = await admin
      .put(`/admin/drawings/${id}`)
      .send({
        name: 'Weekly Mega',
        ticket_cost_points: 250,
        drawing_time: '2026-01-17T21:00:00Z',
        prizes: [{ rank: 1, name: 'Smart watch', value_usd: 199.99, fulfillment_type: 'physical' }],
      })
      .expect(200);
    expect(res.body).toMatchObject({
      name: 'Weekly Mega',
      ticket_cost_points: 250,
      drawing_time: '2026-01-17T21:00:00.000Z',
    });
    expect(res.body.prizes).toEqual([
      expect.objectContaining({ rank: 1, name: 'Smart watch', value_usd: 199.99 }),
    ]);
    expect(await dataSource(t).getRepository(Prize).countBy({ drawingId: id })).toBe(1);
    const badTime = await admin
      .put(`/admin/drawings/${id}`)
      .send({ drawing_time: '2026-01-16T20:00:00Z' })
      .expect(422);
    expect(badTime.body.detail).toBe('Sales close time must be before drawing time');
    await admin.put(`/admin/drawings/${id}`).send({ status: 'cancelled' }).expect(200);
    const final = await admin.put(`/admin/drawings/${id}`).send({ status: 'open' }).expect(409);
    expect(final.body.detail).toBe('Cannot transition from cancelled to open');
    await admin.put(`/admin/drawings/${id}`).send({ status: 'paused' }).expect(422);
  });

  it('lists with status and type filters; non-admins never see drafts', async () => {
    const draft = await create({ drawing_type: 'monthly' });
    const open = await create({ drawing_type: 'monthly' });
    await admin.put(`/admin/drawings/${open.id}`).send({ status: 'scheduled' }).expect(200);
    const adminList = await admin.get('/drawings?filter[drawing_type]=monthly&per_page=100').expect(200);
    expect(adminList.body.data.map((d: { id: string }) => d.id)).toEqual(
      expect.arrayContaining([draft.id, open.id]),
    );
    const drafts = await admin.get('/drawings?filter[status]=draft&per_page=100').expect(200);
    expect(drafts.body.data.every((d: { status: string }) => d.status === 'draft')).toBe(true);

    const user = asUser(t, await createUser(t));
    const userList = await user.get('/drawings?per_page=100').expect(200);
    expect(userList.body.data.some((d: { status: string }) => d.status === 'draft')).toBe(false);
    expect(userList.body.data.map((d: { id: string }) => d.id)).toContain(open.id);
    expect((await user.get('/drawings?filter[status]=draft').expect(200)).body.data).toEqual([]);
    await user.get(`/drawings/${draft.id}`).expect(404);
    await user.get(`/drawings/${open.id}`).expect(200);
    await user.post('/admin/drawings').send(drawingBody()).expect(403);
  });

  it('sorts by drawing_time and keeps the plan’s POST/PUT /drawings aliases', async () => {
    const created = await admin
      .post('/drawings')
      .send(drawingBody({ drawing_type: 'annual' }))
      .expect(201);
    await admin.put(`/drawings/${created.body.id}`).send({ description: null }).expect(200);
    const res = await admin.get('/drawings?sort=drawing_time&per_page=100').expect(200);
    const times = res.body.data.map((d: { drawing_time: string }) => Date.parse(d.drawing_time));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    await admin.get('/drawings?sort=name').expect(422);
    await admin.get('/drawings/not-a-uuid').expect(422);
  });
});
