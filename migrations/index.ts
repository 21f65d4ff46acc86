import { InitialSchema1763800000000 } from './1763800000000-initial-schema';

/** Every migration, in order. The app and the CLI pass this list to the one DataSource. */
export const MIGRATIONS = [InitialSchema1763800000000];
