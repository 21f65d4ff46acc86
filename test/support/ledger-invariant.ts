import type { INestApplication } from '@nestjs/common';
import { ReportsService } from '@fittrack/reports';

/**
 * The report's checks that make up the ledger invariant (domain-rules, Ledger). The daily cap is not among
 * them: it is the engine's rule (tested through ingestion), and board tests post earnings straight to the
 * ledger.
 */
export const LEDGER_CHECKS = [
  'ledger_sum_matches_balance',
  'latest_balance_after_matches_balance',
  'ledger_sequence_contiguous',
  'ledger_balance_after_chains',
  'no_negative_balances',
];

/**
 * Fails when any user's ledger is inconsistent: balance = sum of amounts = last balance_after, sequence
 * 1..n, never negative. Every e2e file runs it when it closes its app, over the whole
 * database (on PostgreSQL: every file's users so far).
 */
export async function assertLedgersConsistent(app: INestApplication): Promise<void> {
  const { integrity } = await app.get(ReportsService).summary();
  const broken = integrity.checks.filter((check) => LEDGER_CHECKS.includes(check.name) && !check.passed);
  if (broken.length) {
    throw new Error(
      `Ledger invariant broken: ${broken.map((c) => `${c.name} (${c.count}: ${c.details})`).join('; ')}`,
    );
  }
}
