import { InitialSchema1763800000000 } from './1763800000000-initial-schema';
import { ListIndexes1763900000000 } from './1763900000000-list-indexes';
import { DeniedAccessTokens1764000000000 } from './1764000000000-denied-access-tokens';
import { LedgerSequence1764050000000 } from './1764050000000-ledger-sequence';
import { ActivityEngine1764100000000 } from './1764100000000-activity-engine';
import { SweepstakesDraw1764200000000 } from './1764200000000-sweepstakes-draw';
import { LeaderboardRollups1764250000000 } from './1764250000000-leaderboard-rollups';
import { TrackerSync1764310000000 } from './1764310000000-tracker-sync';
import { WebhookPurgeIndex1764400000000 } from './1764400000000-webhook-purge-index';

/** Every migration, in order. The app and the CLI pass this list to the one DataSource. */
export const MIGRATIONS = [
  InitialSchema1763800000000,
  ListIndexes1763900000000,
  DeniedAccessTokens1764000000000,
  LedgerSequence1764050000000,
  ActivityEngine1764100000000,
  SweepstakesDraw1764200000000,
  LeaderboardRollups1764250000000,
  TrackerSync1764310000000,
  WebhookPurgeIndex1764400000000,
];
