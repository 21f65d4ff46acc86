import { createHash, createHmac, randomUUID } from 'node:crypto';
import { LedgerService } from '@fittrack/points';
import { type User, UsersRepository } from '@fittrack/users';
import type { ApiClient } from '../support/api-client';
import type { TestApp } from '../support/test-app';
import { createUser, dataSource } from '../api/fixtures';

/** A drawing body around the test clock: open for an hour from now, drawn 5 minutes after sales close. */
export function drawingBody(t: TestApp, overrides: Record<string, unknown> = {}) {
  const now = t.clock.now().getTime();
  return {
    drawing_type: 'daily',
    name: `Drawing ${randomUUID().slice(0, 8)}`,
    ticket_cost_points: 100,
    opens_at: new Date(now - 60_000).toISOString(),
    ticket_sales_close: new Date(now + 3_600_000).toISOString(),
    drawing_time: new Date(now + 3_900_000).toISOString(),
    prizes: [
      {
        rank: 1,
        name: '$50 Amazon Gift Card',
        value_usd: 50,
        fulfillment_type: 'digital',
        digital_code: 'GIFT-1',
      },
    ],
    eligibility: { user_type: 'all', min_account_age_days: 0 },
    ...overrides,
  };
}

/** Creates a drawing and moves it to `status` through the admin API (draft → scheduled → open). */
export async function createDrawing(
  t: TestApp,
  admin: ApiClient,
  status: 'draft' | 'scheduled' | 'open' = 'open',
  overrides: Record<string, unknown> = {},
): Promise<{ id: string } & Record<string, unknown>> {
  let body = (await admin.post('/admin/drawings').send(drawingBody(t, overrides)).expect(201)).body;
  for (const next of ['scheduled', 'open'] as const) {
    if (body.status === status) break;
    body = (await admin.put(`/admin/drawings/${body.id}`).send({ status: next }).expect(200)).body;
  }
  return body;
}

/** A member with `points` earned through the ledger (and an account `ageDays` old). */
export async function memberWithPoints(t: TestApp, points: number, ageDays = 30): Promise<User> {
  const user = await createUser(t, { role: 'user' });
  const createdAt = new Date(t.clock.now().getTime() - ageDays * 86_400_000);
  await dataSource(t).getRepository('User').update({ id: user.id }, { createdAt });
  if (points > 0) {
    await t.app.get(LedgerService).post({
      userId: user.id,
      type: 'earn',
      amount: points,
      reference: { type: 'activity', id: randomUUID() },
      description: 'fixture award',
      idempotencyKey: `fixture:${randomUUID()}`,
      earnedOn: t.clock.now().toISOString().slice(0, 10),
    });
  }
  return (await t.app.get(UsersRepository).get(user.id))!;
}

export interface Published {
  seed_commitment: string;
  seed: string | null;
  beacon: { randomness: string | null } | null;
  tickets_hash: string;
  total_tickets: number;
  prize_ranks: number;
  winners: Array<{ prize_rank: number; ticket_number: number; user_id: string }>;
}

type Drawn = { prize_rank: number; ticket_number: number; user_id: string };

/**
 * An implementation of fair-draw.md written apart from the app's (BigInt arithmetic, no shared code): every
 * draw in these tests is recomputed from /verify and the ticket list, as an outsider would.
 */
export function recompute(v: Published, csv: string): Drawn[] {
  return recomputeAll(v, csv).winners;
}

/**
 * The initial winners, then the re-draws of `v.redraws`' ranks in their order: the same candidate
 * sequence continues after the initial draw, skipping every owner who has won in the drawing (fair-draw.md,
 * Re-draws).
 */
export function recomputeAll(
  v: Published & { redraws?: Array<{ prize_rank: number }> },
  csv: string,
): { winners: Drawn[]; redraws: Array<Drawn | null> } {
  const lines = csv.trim().split('\n');
  if (lines[0] !== 'ticket_number,user_id') throw new Error('bad header');
  const owners = lines.slice(1).map((line) => line.split(',')[1]);
  const listHash = createHash('sha256')
    .update(owners.map((owner, i) => `${i + 1}:${owner}\n`).join(''))
    .digest('hex');
  if (listHash !== v.tickets_hash) throw new Error('ticket list does not match tickets_hash');
  if (createHash('sha256').update(Buffer.from(v.seed!, 'hex')).digest('hex') !== v.seed_commitment) {
    throw new Error('seed does not match its commitment');
  }
  const key = createHash('sha256')
    .update(
      Buffer.concat([
        Buffer.from('fittrack-draw-v1'),
        Buffer.from(v.seed!, 'hex'),
        Buffer.from(v.beacon?.randomness ?? '', 'hex'),
        Buffer.from(v.tickets_hash, 'hex'),
      ]),
    )
    .digest();
  const n = BigInt(owners.length);
  const won = new Set<string>();
  let c = 0n;
  const pick = (rank: number): Drawn | null => {
    if (n === 0n || !owners.some((owner) => !won.has(owner))) return null;
    for (;;) {
      const counter = Buffer.alloc(8);
      counter.writeBigUInt64BE(c++);
      const x = BigInt('0x' + createHmac('sha256', key).update(counter).digest('hex').slice(0, 16));
      if (x >= 2n ** 64n - (2n ** 64n % n)) continue;
      const ticket = Number(x % n) + 1;
      const owner = owners[ticket - 1];
      if (won.has(owner)) continue;
      won.add(owner);
      return { prize_rank: rank, ticket_number: ticket, user_id: owner };
    }
  };
  const winners: Drawn[] = [];
  for (let rank = 1; rank <= v.prize_ranks; rank++) {
    const winner = pick(rank);
    if (!winner) break;
    winners.push(winner);
  }
  return { winners, redraws: (v.redraws ?? []).map((redraw) => pick(redraw.prize_rank)) };
}
