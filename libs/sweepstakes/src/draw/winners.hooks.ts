import { Injectable } from '@nestjs/common';

/** Winners a draw or re-draw has just awarded: one fulfillment each. */
export interface WinnersAwarded {
  drawingId: string;
  fulfillmentIds: string[];
}

export type WinnersAwardedHook = (event: WinnersAwarded) => Promise<void>;

/**
 * In-transaction subscribers to awarded prizes (fulfillment emails the winners): each runs inside the unit
 * of work that awards them, so an email is recorded only if the award commits.
 */
@Injectable()
export class WinnersAwardedHooks {
  private readonly hooks: WinnersAwardedHook[] = [];

  subscribe(hook: WinnersAwardedHook): void {
    this.hooks.push(hook);
  }

  async publish(event: WinnersAwarded): Promise<void> {
    if (!event.fulfillmentIds.length) return;
    for (const hook of this.hooks) await hook(event);
  }
}
