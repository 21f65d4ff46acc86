import { createHash } from 'node:crypto';
import { base, en, Faker } from '@faker-js/faker';
import type { FulfillmentStatus, PrizeFulfillment, ShippingAddress } from '@fittrack/fulfillment';
import { TEMPLATES, type EmailOutbox } from '@fittrack/notifications';
import type { PostEntry } from '@fittrack/points';
import type { Drawing, DrawingStatus, DrawingType, Prize, Sponsor, Ticket } from '@fittrack/sweepstakes';
import {
  ACTIVITY_TYPES,
  PROVIDERS,
  type ActivityMetrics,
  type Intensity,
  type NormalisedRecord,
  type Provider,
  type TrackerConnection,
} from '@fittrack/trackers';
import type { FitnessLevel, Profile, Role, User } from '@fittrack/users';
import { Prng } from './prng';

export type Row<E> = Partial<E>;
/** A fulfillment as generated: the address in the clear; SeedService seals it (SecretBox) on insert. */
export type SeedFulfillment = Omit<Row<PrizeFulfillment>, 'shippingAddress'> & {
  shippingAddress: ShippingAddress | null;
};

export interface DatasetOptions {
  users: number;
  activities: number;
  drawings: number;
  randomSeed: number;
  /** Every generated time is relative to this instant (a day start), never to the wall clock. */
  reference: Date;
  /** Users already in the database: numbers the new emails after them and varies the random stream. */
  offset: number;
  /** The configured admin's email, or null when that account already exists. */
  firstAdminEmail: string | null;
  adminPasswordHash: string;
  userPasswordHash: string;
  excludedStates: readonly string[];
  /** Sponsors already stored, by name (they are reused, names are unique). */
  existingSponsors: ReadonlyMap<string, string>;
}

export interface UserBatch {
  users: Row<User>[];
  profiles: Row<Profile>[];
  connections: Row<TrackerConnection>[];
  /** Tracker data for the points engine (IngestionService), which stores and pays it. */
  records: NormalisedRecord[];
  /** Per user, the ledger entries that are not earnings, in time order, to post after the engine paid. */
  postings: Map<string, SeedPosting[]>;
}

/**
 * A spend, refund or admin adjust to post once the user's earnings are known: `entry` decides from the
 * balance at that point (a purchase buys what the balance allows), `posted` learns the entry's id.
 */
export interface SeedPosting {
  entry: (balance: number) => PostEntry | null;
  posted?: (entryId: string) => void;
}

export const DEFAULT_SEED = { users: 72, activities: 300, drawings: 10, randomSeed: 2026 } as const;

export const PLATFORM_SPONSOR = 'FitTrack Platform';
export const SPONSOR_NAMES = [
  PLATFORM_SPONSOR,
  'Peak Performance Gear',
  'Hydra Water Co.',
  'StrideRight Shoes',
  'Summit Outdoor Supply',
  'PulseWear Electronics',
  'GreenFuel Nutrition',
  'ZenFlow Yoga Studio',
  'Velocity Cycling',
  'CoreStrength Fitness',
];

const US_STATES = (
  'AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND ' +
  'OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY'
).split(' ');
const TIMEZONES = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles'];

const SEXES = [
  ['male', 'M'],
  ['female', 'F'],
] as const;
const BRACKETS = [
  ['18-29', 18, 29],
  ['30-39', 30, 39],
  ['40-49', 40, 49],
  ['50-59', 50, 59],
  ['60+', 60, 85],
] as const;
const FITNESS = [
  ['beginner', 'BEG', 1.2],
  ['intermediate', 'INT', 1.0],
  ['advanced', 'ADV', 0.9],
] as const;
/** 30 demographic tiers, then OPEN. */
export const TIER_SLOTS = SEXES.length * BRACKETS.length * FITNESS.length + 1;

const INTENSITY_RATE: Record<Intensity, number> = { light: 1, moderate: 2, vigorous: 3 };
const WORKOUTS = [
  { name: 'Running', stepsPerMinute: 160, metersPerMinute: 170 },
  { name: 'Walking', stepsPerMinute: 110, metersPerMinute: 85 },
  { name: 'Cycling', stepsPerMinute: 0, metersPerMinute: 350 },
  { name: 'Swimming', stepsPerMinute: 0, metersPerMinute: 40 },
  { name: 'Strength Training', stepsPerMinute: 0, metersPerMinute: 0 },
  { name: 'Yoga', stepsPerMinute: 0, metersPerMinute: 0 },
  { name: 'HIIT', stepsPerMinute: 60, metersPerMinute: 0 },
];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const PERIOD_DAYS: Record<DrawingType, number> = { daily: 1, weekly: 7, monthly: 28, annual: 365 };
const TICKET_COST: Record<DrawingType, number> = { daily: 10, weekly: 25, monthly: 50, annual: 100 };

/** The drawings cycle through this list, so ten of them cover every type and every status. */
const DRAWING_PATTERN: Array<[DrawingType, DrawingStatus]> = [
  ['daily', 'completed'],
  ['weekly', 'completed'],
  ['monthly', 'completed'],
  ['daily', 'open'],
  ['weekly', 'open'],
  ['daily', 'closed'],
  ['monthly', 'scheduled'],
  ['annual', 'draft'],
  ['weekly', 'cancelled'],
  ['annual', 'open'],
];
const PHYSICAL_FULFILLMENT_CYCLE: FulfillmentStatus[] = [
  'delivered',
  'shipped',
  'address_confirmed',
  'winner_notified',
  'forfeited',
  'pending',
];

interface PlannedDrawing {
  row: Row<Drawing>;
  prizes: Row<Prize>[];
  /** When purchases are possible, if ever. */
  salesWindow: [number, number] | null;
  cancelledAt: number | null;
  premiumOnly: boolean;
}

interface Purchase {
  drawing: PlannedDrawing;
  userId: string;
  quantity: number;
  transactionId: string;
  /** Orders purchases made at the same instant, the same way on every run. */
  key: string;
  at: number;
}

interface LedgerEvent extends SeedPosting {
  at: number;
  order: number;
}

/** Seeded activity is from the last days before the reference day: all of it still open, so all of it paid. */
const ACTIVITY_DAYS = 6;

interface UserFacts {
  id: string;
  email: string;
  role: Role;
  displayName: string;
  createdAt: number;
}

/**
 * Generates the seed dataset as plain rows, deterministically: the same options give the same rows.
 * Users come in batches (so a million activities never sit in memory at once); tickets, winners,
 * fulfillments and emails follow once every user is known.
 */
export class DatasetGenerator {
  private readonly prng: Prng;
  private readonly faker: Faker;
  private readonly ref: number;
  private readonly states: string[];
  private readonly adminCount: number;
  private readonly planned: PlannedDrawing[];
  private readonly purchases: Purchase[] = [];
  private readonly sampleUsers: UserFacts[] = [];
  private readonly usersById = new Map<string, UserFacts>();
  private sponsorIds = new Map<string, string>();
  private readonly firstAdminId: string;
  private activityCursor = 0;
  private userCursor = 0;
  private readonly counters: Record<Role, number> = { user: 0, premium: 0, admin: 0 };
  private purchaseProbability = 0;

  constructor(private readonly options: DatasetOptions) {
    const stream = `${options.randomSeed}:${options.offset}`;
    this.prng = new Prng(stream);
    this.faker = new Faker({ locale: [en, base] });
    this.faker.seed(new Prng(`faker:${stream}`).int(0, 2 ** 31 - 1));
    this.ref = options.reference.getTime();
    const excluded = new Set(options.excludedStates.map((s) => s.toUpperCase()));
    this.states = US_STATES.filter((s) => !excluded.has(s));
    this.adminCount = Math.max(1, Math.min(10, Math.round((options.users * 10) / 72)));
    this.planned = [];
    this.firstAdminId = this.prng.uuid();
  }

  /** Sponsor rows still missing (by name); afterwards every name has an id. */
  sponsors(): Row<Sponsor>[] {
    this.sponsorIds = new Map(this.options.existingSponsors);
    const rows: Row<Sponsor>[] = [];
    for (const name of SPONSOR_NAMES) {
      if (this.sponsorIds.has(name)) continue;
      const id = this.prng.uuid();
      const at = new Date(this.ref - this.prng.int(200, 500) * DAY);
      const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '');
      this.sponsorIds.set(name, id);
      rows.push({
        id,
        createdAt: at,
        updatedAt: at,
        version: 1,
        name,
        contactEmail: `partners@${slug}.example`,
        websiteUrl: `https://${slug}.example`,
        logoUrl: `https://${slug}.example/logo.png`,
        isActive: true,
      });
    }
    return rows;
  }

  /** Plans the drawings and prizes; their rows are written after the tickets are known. */
  planDrawings(): void {
    const ticketDrawings: PlannedDrawing[] = [];
    for (let i = 0; i < this.options.drawings; i++) {
      const [type, status] = DRAWING_PATTERN[i % DRAWING_PATTERN.length];
      const drawing = this.planDrawing(type, status, i, Math.floor(i / DRAWING_PATTERN.length));
      this.planned.push(drawing);
      if (drawing.salesWindow) ticketDrawings.push(drawing);
    }
    // About 150 purchase attempts in the default dataset, at most ~60,000 however large the seed.
    const nonAdmins = Math.max(1, this.options.users - this.adminCount);
    const attempts = Math.min(Math.max(150, nonAdmins * 1.5), 60_000);
    this.purchaseProbability = ticketDrawings.length
      ? Math.min(0.6, attempts / (nonAdmins * ticketDrawings.length))
      : 0;
  }

  /** Users with their profile, connections, activities and ledger, `size` users at a time. */
  *userBatches(size: number): Generator<UserBatch> {
    while (this.userCursor < this.options.users) {
      const batch: UserBatch = { users: [], profiles: [], connections: [], records: [], postings: new Map() };
      const end = Math.min(this.options.users, this.userCursor + size);
      for (; this.userCursor < end; this.userCursor++) this.addUser(this.userCursor, batch);
      yield batch;
    }
  }

  /** Tickets numbered per drawing in purchase order, winners of completed drawings, their fulfillments. */
  ticketsAndWinners(): { tickets: Row<Ticket>[]; fulfillments: SeedFulfillment[] } {
    const tickets: Row<Ticket>[] = [];
    const fulfillments: SeedFulfillment[] = [];
    let winnerIndex = 0;
    for (const drawing of this.planned) {
      const bought = this.purchases
        .filter((p) => p.drawing === drawing)
        .sort((a, b) => a.at - b.at || a.key.localeCompare(b.key));
      const own: Row<Ticket>[] = [];
      for (const purchase of bought) {
        for (let q = 0; q < purchase.quantity; q++) {
          own.push({
            id: this.prng.uuid(),
            createdAt: new Date(purchase.at),
            drawingId: drawing.row.id,
            userId: purchase.userId,
            ticketNumber: own.length + 1,
            purchaseTransactionId: purchase.transactionId,
            isWinner: false,
            prizeId: null,
          });
        }
      }
      drawing.row.totalTickets = own.length;
      if (drawing.row.status === 'closed' || drawing.row.status === 'completed') {
        drawing.row.ticketsHash = sha256(own.map((t) => `${t.ticketNumber}:${t.id}`).join('\n'));
      }
      if (drawing.row.status === 'completed') {
        fulfillments.push(...this.drawWinners(drawing, own, () => winnerIndex++));
      }
      tickets.push(...own);
    }
    return { tickets, fulfillments };
  }

  drawings(): Row<Drawing>[] {
    return this.planned.map((d) => d.row);
  }

  prizes(): Row<Prize>[] {
    return this.planned.flatMap((d) => d.prizes);
  }

  /** A few outbox rows: welcome mails sent, a verification pending, one that failed. */
  emails(): Row<EmailOutbox>[] {
    return this.sampleUsers.slice(0, 8).map((user, i) => {
      const status = i === 6 ? 'pending' : i === 7 ? 'failed' : 'sent';
      const rendered =
        status === 'sent'
          ? TEMPLATES.welcome({ name: user.displayName })
          : TEMPLATES.verification({
              name: user.displayName,
              url: `http://localhost:8000/verify-email?token=${this.prng.hex(16)}`,
              hours: 24,
            });
      const at = new Date(user.createdAt + 5 * MINUTE);
      return {
        id: this.prng.uuid(),
        createdAt: at,
        updatedAt: at,
        version: 1,
        toAddress: user.email,
        subject: rendered.subject,
        template: status === 'sent' ? 'welcome' : 'verification',
        bodyText: rendered.text,
        bodyHtml: rendered.html,
        status,
        attempts: status === 'pending' ? 0 : status === 'failed' ? 5 : 1,
        lastError: status === 'failed' ? 'SMTP 550: mailbox unavailable' : null,
        sentAt: status === 'sent' ? new Date(at.getTime() + 2000) : null,
      };
    });
  }

  private planDrawing(
    type: DrawingType,
    status: DrawingStatus,
    index: number,
    cycle: number,
  ): PlannedDrawing {
    const period = PERIOD_DAYS[type] * DAY;
    const at21 = (dayOffset: number) => this.ref + dayOffset * DAY + 21 * HOUR;
    let drawAt: number;
    let closeAt: number;
    let opensAt: number;
    let cancelledAt: number | null = null;
    switch (status) {
      case 'completed': {
        const nth = this.planned.filter((d) => d.row.status === 'completed').length;
        drawAt = at21(-(3 + 8 * nth));
        closeAt = drawAt - 5 * MINUTE;
        opensAt = closeAt - period;
        break;
      }
      case 'open':
        opensAt = this.ref - period / 2 - cycle * HOUR;
        closeAt = opensAt + period;
        drawAt = closeAt + 5 * MINUTE;
        break;
      case 'closed':
        closeAt = this.ref - HOUR;
        opensAt = closeAt - period;
        drawAt = at21(2);
        break;
      case 'cancelled':
        opensAt = this.ref - 3 * DAY;
        closeAt = opensAt + period;
        drawAt = closeAt + 5 * MINUTE;
        cancelledAt = this.ref - DAY + 2 * HOUR;
        break;
      default: {
        // scheduled opens tomorrow, a draft later still
        opensAt = this.ref + (status === 'scheduled' ? 1 : 3) * DAY + cycle * DAY;
        closeAt = opensAt + period - 5 * MINUTE;
        drawAt = opensAt + period;
      }
    }
    const id = this.prng.uuid();
    const createdAt = Math.min(opensAt - 2 * DAY, this.ref - DAY);
    const updatedAt = cancelledAt ?? (status === 'completed' ? drawAt + MINUTE : createdAt);
    const seed = status === 'draft' ? null : this.prng.hex(32);
    const premiumOnly = type === 'annual';
    const label = new Date(drawAt).toLocaleDateString('en-US', {
      timeZone: 'UTC',
      month: 'short',
      day: 'numeric',
      year: 'numeric',
    });
    const typeName = type[0].toUpperCase() + type.slice(1);
    const row: Row<Drawing> = {
      id,
      createdAt: new Date(createdAt),
      updatedAt: new Date(updatedAt),
      version: 1,
      drawingType: type,
      name: `${typeName} Drawing - ${label}${cycle ? ` (#${index + 1})` : ''}`,
      description: `${typeName} sweepstakes for active FitTrack members.${premiumOnly ? ' Premium members only.' : ''}`,
      ticketCostPoints: TICKET_COST[type],
      opensAt: new Date(opensAt),
      ticketSalesClose: new Date(closeAt),
      drawingTime: new Date(drawAt),
      status,
      eligibility: {
        user_type: premiumOnly ? 'premium' : 'all',
        min_account_age_days: type === 'monthly' ? 30 : 7,
      },
      totalTickets: 0,
      seedCommitment: seed ? sha256(Buffer.from(seed, 'hex')) : null,
      seed: status === 'completed' ? seed : null,
      beaconRound: null,
      beaconValue: null,
      ticketsHash: null,
      completedAt: status === 'completed' ? new Date(drawAt + MINUTE) : null,
      createdBy: this.firstAdminId,
    };
    const salesEnd = Math.min(closeAt, cancelledAt ?? Infinity, this.ref);
    const hasSales = ['open', 'closed', 'completed', 'cancelled'].includes(status) && salesEnd > opensAt;
    return {
      row,
      prizes: this.planPrizes(id, type, status, createdAt),
      salesWindow: hasSales ? [opensAt, salesEnd] : null,
      cancelledAt,
      premiumOnly,
    };
  }

  private planPrizes(drawingId: string, type: DrawingType, status: DrawingStatus, at: number): Row<Prize>[] {
    const count = status === 'completed' ? 3 : { daily: 1, weekly: 2, monthly: 3, annual: 3 }[type];
    const physical = [
      ['Fitness Tracker Watch', 149],
      ['Running Shoes', 120],
      ['Insulated Water Bottle Set', 35],
      ['Yoga Mat Bundle', 60],
      ['Road Bike Helmet', 90],
    ] as const;
    return Array.from({ length: count }, (_, i) => {
      const digital = i > 0 || type === 'daily';
      const [itemName, itemValue] = this.prng.pick(physical);
      const value = digital ? [50, 25, 10][i] : itemValue;
      const sponsor = digital ? PLATFORM_SPONSOR : this.prng.pick(SPONSOR_NAMES.slice(1));
      return {
        id: this.prng.uuid(),
        createdAt: new Date(at),
        updatedAt: new Date(at),
        version: 1,
        drawingId,
        sponsorId: this.sponsorIds.get(sponsor) ?? null,
        rank: i + 1,
        name: digital ? `$${value} Gift Card` : itemName,
        description: digital ? 'Digital gift card, emailed to the winner.' : `${itemName} from ${sponsor}.`,
        valueUsd: value.toFixed(2),
        fulfillmentType: digital ? 'digital' : 'physical',
        digitalCode: digital
          ? `FT-${this.prng.hex(4).toUpperCase()}-${this.prng.hex(4).toUpperCase()}`
          : null,
      };
    });
  }

  private addUser(index: number, batch: UserBatch): void {
    const isAdmin = index < this.adminCount;
    const nonAdminIndex = index - this.adminCount;
    const role: Role = isAdmin ? 'admin' : nonAdminIndex % 2 === 0 ? 'user' : 'premium';
    const slot = isAdmin ? this.prng.int(0, TIER_SLOTS - 1) : Math.floor(nonAdminIndex / 2) % TIER_SLOTS;
    const number = this.options.offset + ++this.counters[role];
    const firstAdmin = index === 0 && this.options.firstAdminEmail !== null;
    const id = index === 0 ? this.firstAdminId : this.prng.uuid();
    const email = firstAdmin ? this.options.firstAdminEmail! : `${role}${number}@fittrack.local`;
    const createdAt =
      this.ref - this.prng.int(isAdmin ? 400 : 61, isAdmin ? 500 : 400) * DAY - this.prng.int(0, DAY - 1);
    const firstName = this.faker.person.firstName();
    const lastName = this.faker.person.lastName();
    const displayName = isAdmin ? `${firstName} (Admin)` : `${firstName} ${lastName[0]}.`;
    const facts: UserFacts = { id, email, role, displayName, createdAt };
    this.usersById.set(id, facts);
    if (this.sampleUsers.length < 8 && !isAdmin) this.sampleUsers.push(facts);

    batch.profiles.push(this.profileFor(id, slot, displayName, createdAt));

    const events: LedgerEvent[] = [];
    if (!isAdmin) {
      const connections = this.connectionsFor(id, nonAdminIndex, createdAt);
      batch.connections.push(...connections);
      const primary = connections[0];
      const share = Math.floor(this.options.activities / Math.max(1, this.options.users - this.adminCount));
      const extra =
        nonAdminIndex < this.options.activities % Math.max(1, this.options.users - this.adminCount);
      batch.records.push(...this.activitiesFor(id, primary, share + (extra ? 1 : 0)));
      this.purchaseEvents(id, role, createdAt, events);
      if (nonAdminIndex % 5 === 0) events.push(this.adjustEvent(id, nonAdminIndex % 10 === 0 ? -15 : 25));
    }

    events.sort((a, b) => a.at - b.at || a.order - b.order);
    if (events.length) batch.postings.set(id, events);

    const lastLogin = this.prng.chance(0.7) ? new Date(this.ref - this.prng.int(1, 7 * 24) * HOUR) : null;
    batch.users.push({
      id,
      createdAt: new Date(createdAt),
      updatedAt: new Date(Math.max(createdAt, lastLogin?.getTime() ?? 0)),
      version: 1,
      email,
      passwordHash: firstAdmin ? this.options.adminPasswordHash : this.options.userPasswordHash,
      role,
      status: 'active',
      emailVerified: true,
      emailVerifiedAt: new Date(createdAt + 10 * MINUTE),
      lastLoginAt: lastLogin,
      failedLoginCount: 0,
      // The ledger moves these: the engine's earnings, then the postings.
      pointBalance: 0,
      totalPointsEarned: 0,
    });
  }

  private profileFor(userId: string, slot: number, displayName: string, createdAt: number): Row<Profile> {
    const open = slot === TIER_SLOTS - 1;
    const tier = open ? this.prng.int(0, TIER_SLOTS - 2) : slot;
    const [sex, sexCode] = SEXES[Math.floor(tier / (BRACKETS.length * FITNESS.length))];
    const [bracket, minAge, maxAge] = BRACKETS[Math.floor(tier / FITNESS.length) % BRACKETS.length];
    const [fitness, fitnessCode] = FITNESS[tier % FITNESS.length];
    return {
      id: this.prng.uuid(),
      createdAt: new Date(createdAt),
      updatedAt: new Date(createdAt),
      version: 1,
      userId,
      displayName,
      dateOfBirth: this.birthDate(this.prng.int(minAge, maxAge)),
      state: this.prng.pick(this.states),
      biologicalSex: sex,
      fitnessLevel: fitness as FitnessLevel,
      openTierOptIn: open,
      timezone: this.prng.pick(TIMEZONES),
      tierCode: open ? 'OPEN' : `${sexCode}-${bracket}-${fitnessCode}`,
    };
  }

  /** A birth date that makes the person exactly `age` on the reference day. */
  private birthDate(age: number): string {
    const ref = new Date(this.ref);
    const anniversary = Date.UTC(ref.getUTCFullYear() - age, ref.getUTCMonth(), ref.getUTCDate());
    return new Date(anniversary - this.prng.int(2, 360) * DAY).toISOString().slice(0, 10);
  }

  private connectionsFor(userId: string, nonAdminIndex: number, createdAt: number): Row<TrackerConnection>[] {
    const providers: Provider[] = [PROVIDERS[nonAdminIndex % PROVIDERS.length]];
    if (nonAdminIndex % 4 === 3) providers.push(PROVIDERS[(nonAdminIndex + 1) % PROVIDERS.length]);
    return providers.map((provider, i) => {
      const syncStatus = nonAdminIndex % 11 === 5 ? 'error' : nonAdminIndex % 13 === 7 ? 'pending' : 'ok';
      const connectedAt = new Date(createdAt + (i + 1) * HOUR);
      return {
        id: this.prng.uuid(),
        createdAt: connectedAt,
        updatedAt: connectedAt,
        version: 1,
        userId,
        provider,
        terraUserId: this.prng.uuid(),
        isPrimary: i === 0,
        syncStatus,
        lastSyncAt: syncStatus === 'pending' ? null : new Date(this.ref - this.prng.int(1, 12) * HOUR),
        lastManualSyncAt: null,
        lastError: syncStatus === 'error' ? 'Provider token expired; reconnect the tracker' : null,
      };
    });
  }

  private activitiesFor(
    userId: string,
    connection: Row<TrackerConnection>,
    count: number,
  ): NormalisedRecord[] {
    // One day total of each type per day at most (a second would be a revision of the first): extra
    // records of a day are workouts.
    const dailies = new Set<string>();
    const days = this.prng.sample(ACTIVITY_DAYS, ACTIVITY_DAYS);
    return Array.from({ length: count }, (_, i): NormalisedRecord => {
      const day = days[i % ACTIVITY_DAYS];
      let type = ACTIVITY_TYPES[this.activityCursor++ % ACTIVITY_TYPES.length];
      const dayStart = this.ref - (day + 1) * DAY;
      const date = new Date(dayStart).toISOString().slice(0, 10);
      if (type !== 'workout' && dailies.has(`${date}:${type}`)) type = 'workout';
      dailies.add(`${date}:${type}`);
      const common = {
        userId,
        provider: connection.provider!,
        uploadType: 'automatic' as const,
        startTime: new Date(dayStart),
        endTime: new Date(dayStart + DAY - 1000),
      };
      if (type === 'steps') {
        const steps = this.prng.int(2000, 15000);
        return {
          ...common,
          type,
          localDate: date,
          durationMinutes: 0,
          steps,
          metrics: { distance_meters: Math.round(steps * 0.76), calories: Math.round(steps * 0.04) },
        };
      }
      if (type === 'active_minutes') {
        const light = this.prng.int(10, 90);
        const moderate = this.prng.int(0, 45);
        const vigorous = this.prng.int(0, 25);
        return {
          ...common,
          type,
          localDate: date,
          durationMinutes: light + moderate + vigorous,
          minutes: { light, moderate, vigorous },
          metrics: { calories: light * 4 + moderate * 7 + vigorous * 10 },
        };
      }
      const workout = this.prng.pick(WORKOUTS);
      const duration = this.prng.int(15, 90);
      const intensity = this.prng.pick(['light', 'moderate', 'vigorous'] as const);
      const start = dayStart + this.prng.int(6 * 60, 20 * 60) * MINUTE;
      const avgHr = { light: 105, moderate: 130, vigorous: 155 }[intensity] + this.prng.int(-8, 8);
      const metrics: ActivityMetrics = {
        workout_name: workout.name,
        active_minutes: duration,
        calories: Math.round(duration * INTENSITY_RATE[intensity] * 3.5),
        avg_heart_rate: avgHr,
        max_heart_rate: avgHr + this.prng.int(10, 30),
        ...(workout.metersPerMinute ? { distance_meters: workout.metersPerMinute * duration } : {}),
      };
      return {
        ...common,
        type,
        externalId: this.prng.uuid(),
        startTime: new Date(start),
        endTime: new Date(start + duration * MINUTE),
        durationMinutes: duration,
        intensity,
        ...(workout.stepsPerMinute ? { steps: workout.stepsPerMinute * duration } : {}),
        metrics,
      };
    });
  }

  private adjustEvent(userId: string, amount: number): LedgerEvent {
    const at = this.ref - this.prng.int(1, 30) * DAY + this.prng.int(0, DAY - 1);
    return {
      at,
      order: 2,
      entry: (balance) => {
        // A correction never takes the balance below zero.
        const applied = amount < 0 ? -Math.min(balance, -amount) : amount;
        if (!applied) return null;
        const reason = applied > 0 ? 'Goodwill bonus: sync outage' : 'Correction: duplicate sync';
        return this.ledgerEntry(userId, 'adjust', applied, 'admin', this.firstAdminId, reason);
      },
    };
  }

  private purchaseEvents(userId: string, role: Role, createdAt: number, events: LedgerEvent[]): void {
    for (const drawing of this.planned) {
      if (!drawing.salesWindow || (drawing.premiumOnly && role !== 'premium')) continue;
      if (!this.prng.chance(this.purchaseProbability)) continue;
      const [from, to] = drawing.salesWindow;
      const minAge = drawing.row.eligibility!.min_account_age_days * DAY;
      const start = Math.max(from, createdAt + minAge);
      if (start >= to) continue;
      const at = start + Math.floor(this.prng.next() * (to - start));
      const wanted = this.prng.int(1, 4);
      const purchaseKey = this.prng.uuid();
      const cost = drawing.row.ticketCostPoints!;
      let spent = 0;
      let purchase: Purchase | null = null;
      events.push({
        at,
        order: 1,
        entry: (balance) => {
          const quantity = Math.min(wanted, Math.floor(balance / cost));
          if (quantity === 0) return null;
          spent = quantity * cost;
          return this.ledgerEntry(
            userId,
            'spend',
            -spent,
            'ticket_purchase',
            drawing.row.id!,
            `${quantity} ticket${quantity > 1 ? 's' : ''}: ${drawing.row.name}`,
            `seed:spend:${purchaseKey}`,
          );
        },
        // The tickets reference the purchase's ledger entry.
        posted: (entryId) => {
          purchase = {
            drawing,
            userId,
            quantity: spent / cost,
            transactionId: entryId,
            key: purchaseKey,
            at,
          };
          this.purchases.push(purchase);
        },
      });
      if (drawing.cancelledAt !== null) {
        const cancelledAt = drawing.cancelledAt;
        events.push({
          at: cancelledAt,
          order: 3,
          entry: () =>
            purchase
              ? this.ledgerEntry(
                  userId,
                  'refund',
                  spent,
                  'drawing',
                  drawing.row.id!,
                  `Refund: ${drawing.row.name} was cancelled`,
                  `seed:refund:${purchaseKey}`,
                )
              : null,
        });
      }
    }
  }

  private ledgerEntry(
    userId: string,
    type: PostEntry['type'],
    amount: number,
    referenceType: NonNullable<PostEntry['reference']>['type'],
    referenceId: string,
    description: string,
    idempotencyKey?: string,
  ): PostEntry {
    return {
      userId,
      type,
      amount,
      reference: { type: referenceType, id: referenceId },
      description,
      idempotencyKey: idempotencyKey ?? `seed:${type}:${this.prng.uuid()}`,
    };
  }

  private drawWinners(
    drawing: PlannedDrawing,
    tickets: Row<Ticket>[],
    nextWinnerIndex: () => number,
  ): SeedFulfillment[] {
    const order = this.prng.sample(tickets.length, tickets.length);
    const winners = new Set<string>();
    const fulfillments: SeedFulfillment[] = [];
    const completedAt = drawing.row.completedAt!.getTime();
    for (const prize of drawing.prizes) {
      const index = order.find((i) => !winners.has(tickets[i].userId!));
      if (index === undefined) break; // fewer players than prizes: the rest go unawarded
      const ticket = tickets[index];
      winners.add(ticket.userId!);
      ticket.isWinner = true;
      ticket.prizeId = prize.id!;
      const digital = prize.fulfillmentType === 'digital';
      let status: FulfillmentStatus = digital
        ? 'delivered'
        : PHYSICAL_FULFILLMENT_CYCLE[nextWinnerIndex() % PHYSICAL_FULFILLMENT_CYCLE.length];
      const notifiedAt = completedAt + 2 * MINUTE;
      // Forfeit needs 14 days of silence; younger drawings leave the winner notified instead.
      if (status === 'forfeited' && notifiedAt + 14 * DAY > this.ref) status = 'winner_notified';
      fulfillments.push(this.fulfillment(ticket, prize, status, notifiedAt));
    }
    return fulfillments;
  }

  private fulfillment(
    ticket: Row<Ticket>,
    prize: Row<Prize>,
    status: FulfillmentStatus,
    notifiedAt: number,
  ): SeedFulfillment {
    const reached = (s: FulfillmentStatus) =>
      PHYSICAL_FULFILLMENT_CYCLE.indexOf(status) <= PHYSICAL_FULFILLMENT_CYCLE.indexOf(s) &&
      status !== 'forfeited';
    const digital = prize.fulfillmentType === 'digital';
    const notified = status !== 'pending';
    const confirmed = !digital && reached('address_confirmed');
    const shipped = !digital && reached('shipped');
    const delivered = status === 'delivered';
    const t = (days: number) => new Date(Math.min(notifiedAt + days * DAY, this.ref - HOUR));
    const user = this.usersById.get(ticket.userId!)!;
    const updatedAt = new Date(notifiedAt);
    return {
      id: this.prng.uuid(),
      createdAt: new Date(notifiedAt - MINUTE),
      updatedAt: delivered ? t(digital ? 0 : 6) : updatedAt,
      version: 1,
      ticketId: ticket.id!,
      prizeId: prize.id!,
      userId: ticket.userId!,
      status,
      shippingAddress: confirmed
        ? {
            name: user.displayName,
            line1: this.faker.location.streetAddress(),
            city: this.faker.location.city(),
            state: this.prng.pick(this.states),
            postal_code: this.faker.location.zipCode('#####'),
          }
        : null,
      carrier: shipped ? this.prng.pick(['UPS', 'USPS', 'FedEx']) : null,
      trackingNumber: shipped ? `1Z${this.prng.hex(8).toUpperCase()}` : null,
      notes: null,
      notifiedAt: notified ? new Date(notifiedAt) : null,
      reminderSentAt: status === 'forfeited' ? t(7) : null,
      addressConfirmedAt: confirmed ? t(1) : null,
      shippedAt: shipped ? t(2) : null,
      deliveredAt: delivered ? t(digital ? 0 : 6) : null,
      forfeitedAt: status === 'forfeited' ? t(14) : null,
    };
  }
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
