/**
 * A response answered busy (ADR 0032: shed on arrival, or no pool connection in time) carries this mark,
 * so the request logger writes it at warn without a stack. A module of its own: the problem filter sets
 * it and the logger reads it, and the filter's imports reach back into logging.
 */
const SHED = Symbol('shed');

export function markShed(response: object): void {
  (response as { [SHED]?: true })[SHED] = true;
}

export function wasShed(response: object): boolean {
  return (response as { [SHED]?: true })[SHED] === true;
}
