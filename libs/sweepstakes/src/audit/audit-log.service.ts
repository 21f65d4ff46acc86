import { Injectable } from '@nestjs/common';
import { type Caller, userIdOf } from '@fittrack/core';
import { DrawRepository } from '../draw/draw.repository';

/** The append-only audit log of admin (and system) actions on drawings, prizes and fulfillments. */
@Injectable()
export class AuditLogService {
  constructor(private readonly draws: DrawRepository) {}

  /** Appends one entry in the caller's unit of work: it exists only if the action commits. */
  record(
    caller: Caller,
    action: string,
    entity: { type: string; id: string },
    before: object | null,
    after: object | null,
  ): Promise<void> {
    return this.draws.audit({
      actorId: userIdOf(caller),
      action,
      entityType: entity.type,
      entityId: entity.id,
      beforeState: before as Record<string, unknown> | null,
      afterState: after as Record<string, unknown> | null,
    });
  }
}
