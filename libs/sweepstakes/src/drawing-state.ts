import type { DrawingStatus } from './entities/drawing.entity';

/** draft → scheduled → open → closed → completed; draft|scheduled|open → cancelled. */
export const DRAWING_TRANSITIONS: Record<DrawingStatus, readonly DrawingStatus[]> = {
  draft: ['scheduled', 'cancelled'],
  scheduled: ['open', 'cancelled'],
  open: ['closed', 'cancelled'],
  closed: ['completed'],
  completed: [],
  cancelled: [],
};

export const canTransition = (from: DrawingStatus, to: DrawingStatus): boolean =>
  DRAWING_TRANSITIONS[from].includes(to);

/** Only these states allow editing names, times, cost, prizes and eligibility. */
export const EDITABLE_STATUSES: readonly DrawingStatus[] = ['draft', 'scheduled'];
