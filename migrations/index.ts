import { InitialSchema1763800000000 } from './1763800000000-initial-schema';
import { ListIndexes1763900000000 } from './1763900000000-list-indexes';

/** Every migration, in order. The app and the CLI pass this list to the one DataSource. */
export const MIGRATIONS = [InitialSchema1763800000000, ListIndexes1763900000000];
