/**
 * Bench fixtures written straight to the tables (setup, not what a bench measures): batched INSERTs, and
 * active users with a profile each.
 */
const { randomUUID } = require('node:crypto');

/** Inserts `rows` into `table` (an entity or table name) in batches of at most 500 rows. */
async function insertRows(ds, table, rows) {
  for (let i = 0; i < rows.length; i += 500) {
    await ds
      .createQueryBuilder()
      .insert()
      .into(table)
      .values(rows.slice(i, i + 500))
      .execute();
  }
}

/**
 * `count` active users `bench-<label>-<u>@example.com`, each with a profile (female, 1990, TX,
 * intermediate); `user(u)` and `profile(u)` add or override fields (e.g. the tier). Returns the users.
 */
async function insertBenchUsers(ds, count, { label, user = () => ({}), profile = () => ({}) }) {
  const users = Array.from({ length: count }, (_, u) => ({
    id: randomUUID(),
    email: `bench-${label}-${u}@example.com`,
    passwordHash: 'x',
    role: 'user',
    status: 'active',
    ...user(u),
  }));
  await insertRows(ds, 'User', users);
  await insertRows(
    ds,
    'profiles',
    users.map((row, u) => ({
      id: randomUUID(),
      userId: row.id,
      displayName: `Bench ${u}`,
      dateOfBirth: '1990-01-01',
      state: 'TX',
      biologicalSex: 'female',
      fitnessLevel: 'intermediate',
      timezone: 'America/New_York',
      ...profile(u),
    })),
  );
  return users;
}

module.exports = { insertRows, insertBenchUsers };
