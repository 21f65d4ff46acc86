import { createHash, createHmac, type Hash } from 'node:crypto';

/**
 * The public draw protocol `fittrack-draw-v1` (docs: /work/shared/design/fair-draw.md and
 * docs/sweepstakes-fairness.md). Pure functions over bytes: the service feeds them from the database, the
 * tests from arrays, and an outsider can rewrite them from the page alone.
 */
export const DRAW_ALGORITHM = 'fittrack-draw-v1';

const TWO_64 = 1n << 64n;

/** Streams `<ticket_number>:<user_id>\n` lines, in ascending number, into SHA-256. */
export class TicketsHasher {
  private readonly hash: Hash = createHash('sha256');
  private expected = 1;

  add(ticketNumber: number, userId: string): void {
    // A gap or a wrong order would publish a hash nobody can reproduce from the list: refuse instead.
    if (ticketNumber !== this.expected) {
      throw new Error(`Ticket list out of order: expected ${this.expected}, got ${ticketNumber}`);
    }
    this.expected++;
    this.hash.update(`${ticketNumber}:${userId.toLowerCase()}\n`, 'ascii');
  }

  get count(): number {
    return this.expected - 1;
  }

  digestHex(): string {
    return this.hash.digest('hex');
  }
}

export const sha256HexOf = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** key = SHA-256("fittrack-draw-v1" ‖ seed ‖ beacon ‖ tickets_hash); beacon is empty without one. */
export function drawKey(seedHex: string, beaconHex: string | null, ticketsHashHex: string): Buffer {
  return createHash('sha256')
    .update(Buffer.from(DRAW_ALGORITHM, 'ascii'))
    .update(Buffer.from(seedHex, 'hex'))
    .update(Buffer.from(beaconHex ?? '', 'hex'))
    .update(Buffer.from(ticketsHashHex, 'hex'))
    .digest();
}

/** The candidate of counter `c`: a ticket number 1..n, or null when rejected (no modulo bias). */
export function candidate(key: Buffer, counter: number, n: number): number | null {
  const block = Buffer.alloc(8);
  block.writeBigUInt64BE(BigInt(counter));
  const x = createHmac('sha256', key).update(block).digest().readBigUInt64BE(0);
  const total = BigInt(n);
  const limit = TWO_64 - (TWO_64 % total);
  return x >= limit ? null : Number(x % total) + 1;
}

/** What the draw needs to know about the frozen ticket list; never the whole list. */
export interface TicketSource {
  readonly total: number;
  ownerOf(ticketNumber: number): Promise<string>;
  /** How many tickets belong to none of `owners`. */
  countExcluding(owners: ReadonlySet<string>): Promise<number>;
}

export interface DrawnWinner {
  prizeRank: number;
  ticketNumber: number;
  userId: string;
}

export interface DrawOutcome {
  winners: DrawnWinner[];
  /** The next unused counter: a re-draw continues from here. */
  nextCounter: number;
}

/**
 * Winners for `ranks` in order, from `startCounter`, skipping owners in `excluded` (and each new winner).
 * A rank with no ticket of a not-yet-winning owner left goes unawarded, and so do the ranks after it.
 */
export async function drawWinners(
  key: Buffer,
  tickets: TicketSource,
  ranks: readonly number[],
  startCounter = 0,
  excluded: ReadonlySet<string> = new Set(),
): Promise<DrawOutcome> {
  const winners: DrawnWinner[] = [];
  const won = new Set(excluded);
  let counter = startCounter;
  for (const prizeRank of ranks) {
    if (tickets.total === 0 || (await tickets.countExcluding(won)) === 0) break;
    for (;;) {
      const ticketNumber = candidate(key, counter++, tickets.total);
      if (ticketNumber === null) continue;
      const userId = await tickets.ownerOf(ticketNumber);
      if (won.has(userId)) continue;
      won.add(userId);
      winners.push({ prizeRank, ticketNumber, userId });
      break;
    }
  }
  return { winners, nextCounter: counter };
}

/** A TicketSource over an in-memory owner list (index 0 is ticket 1): tests, the CLI and small tools. */
export function ticketsFromOwners(owners: readonly string[]): TicketSource {
  return {
    total: owners.length,
    ownerOf: async (ticketNumber) => owners[ticketNumber - 1],
    countExcluding: async (excluded) => owners.filter((owner) => !excluded.has(owner)).length,
  };
}

export function ticketsHashOf(owners: readonly string[]): string {
  const hasher = new TicketsHasher();
  owners.forEach((owner, index) => hasher.add(index + 1, owner));
  return hasher.digestHex();
}
