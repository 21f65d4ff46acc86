// The public draw protocol `fittrack-draw-v1` (docs/sweepstakes-fairness.md), recomputed in the browser
// with Web Crypto only: what `GET /drawings/{id}/verify` and the ticket-list CSV publish is enough to
// check the seed, the ticket list and every winner (re-draws included) without trusting the server.
// Written apart from the server's implementation on purpose: a shared bug would verify itself.

export const ALGORITHM = 'fittrack-draw-v1';

const TWO_64 = 1n << 64n;
const ascii = (text) => new TextEncoder().encode(text);

export const toHex = (bytes) =>
  Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');

export function fromHex(hex) {
  const text = hex ?? '';
  if (text.length % 2 || /[^0-9a-f]/i.test(text)) throw new Error(`Not hex: ${text.slice(0, 20)}`);
  return Uint8Array.from({ length: text.length / 2 }, (_, i) => parseInt(text.slice(i * 2, i * 2 + 2), 16));
}

const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) out.set(part, (at += part.length) - part.length);
  return out;
};

export async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}

/**
 * Owners by ticket number (index 0 is ticket 1) from the published CSV `ticket_number,user_id`; the
 * numbers must run 1..N without gaps, as the hash covers them.
 */
export function parseTicketList(csv) {
  const lines = csv.split('\n').filter((line) => line !== '');
  if (lines[0] !== 'ticket_number,user_id')
    throw new Error('The ticket list has no ticket_number,user_id header');
  return lines.slice(1).map((line, i) => {
    const [number, userId] = line.split(',');
    if (Number(number) !== i + 1) throw new Error(`Ticket ${i + 1} expected, line says ${number}`);
    return userId.toLowerCase();
  });
}

/** hex SHA-256 of `<ticket_number>:<user_id>\n` per ticket (Web Crypto has no streaming digest). */
export async function ticketsHash(owners) {
  return toHex(await sha256(ascii(owners.map((owner, i) => `${i + 1}:${owner}\n`).join(''))));
}

/** key = SHA-256("fittrack-draw-v1" ‖ seed ‖ beacon ‖ tickets_hash); no beacon is zero bytes. */
export async function drawKey(seedHex, beaconHex, ticketsHashHex) {
  return sha256(
    concat(ascii(ALGORITHM), fromHex(seedHex), fromHex(beaconHex ?? ''), fromHex(ticketsHashHex)),
  );
}

const hmacKey = (key) =>
  crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);

/** The candidate of counter `c`: ticket number 1..n, or null when rejected (no modulo bias). */
async function candidate(hmac, counter, n) {
  const block = new Uint8Array(8);
  new DataView(block.buffer).setBigUint64(0, BigInt(counter));
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', hmac, block));
  const x = new DataView(mac.buffer).getBigUint64(0);
  const total = BigInt(n);
  return x >= TWO_64 - (TWO_64 % total) ? null : Number(x % total) + 1;
}

/** The first `count` candidates (null = rejected), as the test vectors list them. */
export async function candidates(key, n, count) {
  const hmac = await hmacKey(key);
  const out = [];
  for (let c = 0; c < count; c++) out.push(await candidate(hmac, c, n));
  return out;
}

/**
 * One winner per rank, in order, from counter `start`: skips rejected candidates and owners already in
 * `won` (which it extends). A rank with no ticket of a not-yet-winning owner left ends the draw.
 */
export async function drawWinners(key, owners, ranks, start = 0, won = new Set()) {
  const hmac = await hmacKey(key);
  const winners = [];
  let counter = start;
  for (const rank of ranks) {
    if (!owners.some((owner) => !won.has(owner))) break;
    for (;;) {
      const ticket = await candidate(hmac, counter++, owners.length);
      if (ticket === null || won.has(owners[ticket - 1])) continue;
      won.add(owners[ticket - 1]);
      winners.push({ prize_rank: rank, ticket_number: ticket, user_id: owners[ticket - 1] });
      break;
    }
  }
  return { winners, nextCounter: counter };
}

/**
 * Recomputes a drawing from its /verify body and ticket-list CSV. Returns the checks (commitment, list
 * hash, count) and, per published winner and re-draw, what the recomputation gives and whether it matches.
 */
export async function verifyDrawing(published, csv) {
  const checks = [];
  const check = (name, ok, detail) => checks.push({ check: name, ok, detail });
  if (published.algorithm !== ALGORITHM)
    check('algorithm', false, `Unknown algorithm ${published.algorithm}`);
  if (!published.seed) {
    check('seed', false, 'The seed is revealed after the draw');
    return { ok: false, checks, winners: [], redraws: [] };
  }
  const commitment = toHex(await sha256(fromHex(published.seed)));
  check(
    'seed_commitment',
    commitment === published.seed_commitment,
    `SHA-256(seed) = ${commitment}; published ${published.seed_commitment}`,
  );
  const owners = parseTicketList(csv);
  const listHash = await ticketsHash(owners);
  check(
    'tickets_hash',
    listHash === published.tickets_hash,
    `SHA-256(ticket list) = ${listHash}; published ${published.tickets_hash}`,
  );
  check(
    'total_tickets',
    owners.length === published.total_tickets,
    `${owners.length} tickets listed; published ${published.total_tickets}`,
  );
  const beacon = published.beacon;
  if (beacon && beacon.randomness && beacon.signature) {
    // randomness = SHA-256(signature); the BLS signature itself is checked by the server and `npm run cli`.
    const derived = toHex(await sha256(fromHex(beacon.signature)));
    check(
      'beacon',
      derived === beacon.randomness,
      `SHA-256(signature) = ${derived}; randomness ${beacon.randomness} (round ${beacon.round}; its BLS ` +
        'signature against the pinned drand key: npm run cli -- verify-drawing)',
    );
  }

  // The key uses the published hash: a list that does not match it fails above, and its winners below.
  const key = await drawKey(published.seed, beacon?.randomness ?? null, published.tickets_hash);
  const ranks = Array.from({ length: published.prize_ranks }, (_, i) => i + 1);
  const won = new Set();
  const drawn = await drawWinners(key, owners, ranks, 0, won);
  const compare = (computed, shown) => ({
    prize_rank: shown?.prize_rank ?? computed?.prize_rank,
    published: shown ?? null,
    computed: computed ?? null,
    match:
      Boolean(computed && shown) &&
      computed.ticket_number === shown.ticket_number &&
      computed.user_id === shown.user_id?.toLowerCase(),
  });
  // Paired by prize rank: an unawarded rank, or a winner on one side only, is a mismatch.
  const ranksSeen = [...new Set([...drawn.winners, ...published.winners].map((w) => w.prize_rank))];
  const winners = ranksSeen
    .sort((a, b) => a - b)
    .map((rank) =>
      compare(
        drawn.winners.find((w) => w.prize_rank === rank),
        published.winners.find((w) => w.prize_rank === rank),
      ),
    );
  // Re-draws continue the same sequence, in the order they were made (fair-draw.md, Re-draws).
  const redraws = [];
  let counter = drawn.nextCounter;
  for (const redraw of published.redraws ?? []) {
    const next = await drawWinners(key, owners, [redraw.prize_rank], counter, won);
    counter = next.nextCounter;
    redraws.push({ ...compare(next.winners[0], redraw), replaces_ticket: redraw.replaces_ticket });
  }
  const ok = checks.every((c) => c.ok) && [...winners, ...redraws].every((w) => w.match);
  return { ok, checks, winners, redraws };
}
