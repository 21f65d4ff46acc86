export class IntegrityCheckDto {
  name!: string;
  passed!: boolean;
  details!: string;
  /** Offending rows */
  count!: number;
}

export class IntegrityDto {
  ok!: boolean;
  checks!: IntegrityCheckDto[];
}

export class RegistrationsDto {
  pending!: number;
  active!: number;
  suspended!: number;
}

export class PurchasesDto {
  tickets!: number;
  points_spent!: number;
}

/** Named classes, not inline object types: the Swagger plugin documents those badly (`selfRequired`). */
export class WorkflowDto {
  registrations!: RegistrationsDto;
  syncs!: Record<string, number>;
  purchases!: PurchasesDto;
  drawings!: Record<string, number>;
}

export class ReportSummaryDto {
  /** Live rows per entity (soft-deleted rows excluded) */
  counts!: Record<string, number>;
  integrity!: IntegrityDto;
  workflow!: WorkflowDto;
  generated_at!: string;
}

export const REPORT_EXAMPLE: ReportSummaryDto = {
  counts: {
    users: 30,
    profiles: 30,
    tracker_connections: 41,
    activities: 200,
    point_transactions: 388,
    drawings: 5,
    prizes: 9,
    tickets: 120,
    prize_fulfillments: 2,
    sponsors: 3,
    email_outbox: 64,
  },
  integrity: {
    ok: true,
    checks: [
      { name: 'orphan_activities', passed: true, details: 'activities whose user does not exist', count: 0 },
      {
        name: 'ledger_sum_matches_balance',
        passed: true,
        details: 'users whose point_balance differs from the sum of their ledger amounts',
        count: 0,
      },
    ],
  },
  workflow: {
    registrations: { pending: 3, active: 26, suspended: 1 },
    syncs: { pending: 2, syncing: 0, ok: 37, error: 2 },
    purchases: { tickets: 120, points_spent: 12000 },
    drawings: { draft: 1, scheduled: 0, open: 1, closed: 1, completed: 2, cancelled: 0 },
  },
  generated_at: '2026-01-16T21:00:00.000Z',
};
