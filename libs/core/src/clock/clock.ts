/** The one source of "now" in domain code, so tests can move time. */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/**
 * A clock tests set and advance. Frozen by default; a running one keeps moving in real time from where it
 * was set (e2e apps: rows written one after another get distinct, ordered times), and `freeze()` stops it
 * where exact instants matter (period boundaries).
 */
export class ManualClock extends Clock {
  private current: number;
  private setAt = performance.now();

  constructor(
    start = new Date(),
    private running = false,
  ) {
    super();
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current + (this.running ? Math.floor(performance.now() - this.setAt) : 0));
  }

  set(at: Date | string): void {
    this.current = new Date(at).getTime();
    this.setAt = performance.now();
  }

  advance(ms: number): void {
    this.set(new Date(this.now().getTime() + ms));
  }

  freeze(at?: Date | string): void {
    this.set(at ?? this.now());
    this.running = false;
  }
}
