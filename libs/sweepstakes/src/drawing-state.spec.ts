import { DRAWING_STATUSES } from './entities/drawing.entity';
import { canTransition } from './drawing-state';

describe('drawing state machine', () => {
  const allowed = new Set([
    'draft>scheduled',
    'scheduled>open',
    'open>closed',
    'closed>completed',
    'draft>cancelled',
    'scheduled>cancelled',
    'open>cancelled',
  ]);

  it.each(DRAWING_STATUSES.flatMap((from) => DRAWING_STATUSES.map((to) => [from, to] as const)))(
    '%s → %s',
    (from, to) => {
      expect(canTransition(from, to)).toBe(allowed.has(`${from}>${to}`));
    },
  );
});
