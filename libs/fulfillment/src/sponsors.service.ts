import { Injectable } from '@nestjs/common';
import { type Caller, ConflictError, isUniqueViolation, type ListRequest, UnitOfWork } from '@fittrack/core';
import { AuditLogService, type Sponsor } from '@fittrack/sweepstakes';
import type { SponsorDto } from './dto/fulfillment.dto';
import { SponsorsRepository } from './sponsors.repository';

export interface SponsorResponse {
  id: string;
  name: string;
  contact_email: string | null;
  website_url: string | null;
  logo_url: string | null;
  is_active: boolean;
  created_at: string;
}

export const toSponsorResponse = (s: Sponsor): SponsorResponse => ({
  id: s.id,
  name: s.name,
  contact_email: s.contactEmail,
  website_url: s.websiteUrl,
  logo_url: s.logoUrl,
  is_active: s.isActive,
  created_at: new Date(s.createdAt).toISOString(),
});

const fields = (dto: Partial<SponsorDto>): Partial<Sponsor> => ({
  ...(dto.name !== undefined ? { name: dto.name } : {}),
  ...(dto.contact_email !== undefined ? { contactEmail: dto.contact_email } : {}),
  ...(dto.website_url !== undefined ? { websiteUrl: dto.website_url } : {}),
  ...(dto.logo_url !== undefined ? { logoUrl: dto.logo_url } : {}),
  ...(dto.is_active !== undefined ? { isActive: dto.is_active } : {}),
});

/** Sponsors of prizes (admin CRUD); each change goes into the audit log. Deleting is soft: prizes keep theirs. */
@Injectable()
export class SponsorsService {
  constructor(
    private readonly sponsors: SponsorsRepository,
    private readonly auditLog: AuditLogService,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  list(request: ListRequest) {
    return this.sponsors.list(request);
  }

  get(id: string): Promise<Sponsor> {
    return this.sponsors.getOrFail(id);
  }

  create(dto: SponsorDto, caller: Caller): Promise<Sponsor> {
    return this.unique(() =>
      this.unitOfWork.run(async () => {
        const sponsor = await this.sponsors.create({ isActive: true, ...fields(dto) });
        await this.auditLog.record(
          caller,
          'sponsor.create',
          { type: 'sponsor', id: sponsor.id },
          null,
          toSponsorResponse(sponsor),
        );
        return sponsor;
      }),
    );
  }

  update(id: string, dto: SponsorDto, caller: Caller): Promise<Sponsor> {
    return this.unique(() =>
      this.unitOfWork.run(async () => {
        const before = await this.sponsors.getOrFail(id);
        const after = await this.sponsors.update(id, fields(dto));
        await this.auditLog.record(
          caller,
          'sponsor.update',
          { type: 'sponsor', id },
          toSponsorResponse(before),
          toSponsorResponse(after),
        );
        return after;
      }),
    );
  }

  async remove(id: string, caller: Caller): Promise<void> {
    await this.unitOfWork.run(async () => {
      const before = await this.sponsors.getOrFail(id);
      await this.sponsors.softDelete(id);
      await this.auditLog.record(
        caller,
        'sponsor.delete',
        { type: 'sponsor', id },
        toSponsorResponse(before),
        null,
      );
    });
  }

  private async unique<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError('A sponsor with this name already exists');
      throw error;
    }
  }
}
