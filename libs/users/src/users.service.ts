import { Injectable } from '@nestjs/common';
import { hash } from 'bcrypt';
import {
  ageOn,
  type AppConfig,
  BadRequestError,
  calendarDateIn,
  type Caller,
  canAccessOwned,
  Clock,
  ConflictError,
  ForbiddenError,
  hasFullAccess,
  InjectConfig,
  NotFoundError,
  type Page,
  UnitOfWork,
} from '@fittrack/core';
import { Profile } from './entities/profile.entity';
import { User } from './entities/user.entity';
import { UsersRepository, type ConnectionSummary } from './users.repository';
import { tierCodeOn } from './tiers';
import { TierChangedHooks } from './tier-changes';
import type { CreateUserDto } from './dto/create-user.dto';
import type { ListUsersQueryDto } from './dto/list-users-query.dto';
import type { UpdateUserDto } from './dto/update-user.dto';

export const MINIMUM_AGE = 18;

/** Account administration: the admin CRUD and "self or admin" reads and edits. */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    @InjectConfig() private readonly config: AppConfig,
    private readonly tierHooks: TierChangedHooks,
  ) {}

  list(query: ListUsersQueryDto): Promise<Page<User>> {
    return this.users.list(query);
  }

  /** A user with profile and connections; 404 for unknown, soft-deleted, or someone else's (non-admin). */
  async get(id: string, caller: Caller): Promise<{ user: User; connections: ConnectionSummary[] }> {
    const found = await this.users.getWithConnections(id);
    if (!found || !canAccessOwned(caller, found.user.id)) throw new NotFoundError('User');
    return found;
  }

  async create(dto: CreateUserDto): Promise<User> {
    const today = this.today();
    this.assertAdult(dto.date_of_birth, today);
    if (await this.users.findByEmailWithDeleted(dto.email))
      throw new ConflictError('Email already registered');
    const profile: Partial<Profile> = {
      displayName: dto.display_name,
      dateOfBirth: dto.date_of_birth,
      state: dto.state,
      biologicalSex: dto.biological_sex ?? null,
      fitnessLevel: dto.fitness_level ?? null,
      openTierOptIn: dto.open_tier_opt_in ?? false,
    };
    profile.tierCode = tierCodeOn(profile as Profile, today);
    const now = this.clock.now();
    try {
      const passwordHash = await hash(dto.password, this.config.auth.bcryptCost);
      return await this.unitOfWork.run(() =>
        this.users.createWithProfile(
          {
            email: dto.email,
            passwordHash,
            role: dto.role ?? 'user',
            status: dto.status ?? 'active',
            emailVerified: true,
            emailVerifiedAt: now,
          },
          profile,
        ),
      );
    } catch (error) {
      // Two creates racing past the check above: the unique index decides, and the loser gets the 409.
      if (await this.users.findByEmailWithDeleted(dto.email))
        throw new ConflictError('Email already registered');
      throw error;
    }
  }

  /** Self or admin; role and status only by an admin. Recalculates the tier from the merged profile. */
  async update(id: string, dto: UpdateUserDto, caller: Caller): Promise<User> {
    const user = await this.readable(id, caller);
    if ((dto.role !== undefined || dto.status !== undefined) && !hasFullAccess(caller)) {
      throw new ForbiddenError();
    }
    const today = this.today();
    if (dto.date_of_birth !== undefined) this.assertAdult(dto.date_of_birth, today);
    const profilePatch: Partial<Profile> = {
      ...(dto.display_name !== undefined && { displayName: dto.display_name }),
      ...(dto.date_of_birth !== undefined && { dateOfBirth: dto.date_of_birth }),
      ...(dto.state !== undefined && { state: dto.state }),
      ...(dto.biological_sex !== undefined && { biologicalSex: dto.biological_sex }),
      ...(dto.fitness_level !== undefined && { fitnessLevel: dto.fitness_level }),
      ...(dto.open_tier_opt_in !== undefined && { openTierOptIn: dto.open_tier_opt_in }),
      ...(dto.timezone !== undefined && { timezone: dto.timezone }),
    };
    if (user.profile) profilePatch.tierCode = tierCodeOn({ ...user.profile, ...profilePatch }, today);
    const userPatch: Partial<User> = {
      ...(dto.role !== undefined && { role: dto.role }),
      ...(dto.status !== undefined && { status: dto.status }),
    };
    const from = user.profile?.tierCode ?? null;
    const tierChanges = user.profile !== null && user.profile !== undefined && profilePatch.tierCode !== from;
    return this.unitOfWork.run(async () => {
      // The ledger's user lock: no award writes this user's board rows under the old tier meanwhile.
      if (tierChanges) await this.users.lockBalance(id);
      const updated = await this.users.updateWithProfile(user, userPatch, profilePatch);
      if (tierChanges) await this.tierHooks.publish({ userId: id, from, to: profilePatch.tierCode ?? null });
      return updated;
    });
  }

  /**
   * Recalculates one user's tier on `today` (the daily birthday job); true when it changed. Idempotent: a
   * second run finds the tier already right.
   */
  async recalculateTier(userId: string, today: string): Promise<boolean> {
    return this.unitOfWork.run(async () => {
      if (!(await this.users.lockBalance(userId))) return false;
      const profile = (await this.users.get(userId))?.profile;
      if (!profile) return false;
      const to = tierCodeOn(profile, today);
      if (to === profile.tierCode) return false;
      const from = profile.tierCode;
      profile.tierCode = to;
      await this.users.saveProfile(profile);
      await this.tierHooks.publish({ userId, from, to });
      return true;
    });
  }

  /**
   * Soft delete. Under the user's ledger lock, the tier hooks are told the user has no tier any more, so
   * they leave every board in the same unit of work (the profile keeps its tier code for the record).
   */
  async remove(id: string): Promise<void> {
    await this.unitOfWork.run(async () => {
      await this.users.lockBalance(id);
      const from = (await this.users.get(id))?.profile?.tierCode ?? null;
      await this.users.softDelete(id);
      if (from) await this.tierHooks.publish({ userId: id, from, to: null });
    });
  }

  private async readable(id: string, caller: Caller): Promise<User> {
    const user = await this.users.get(id);
    if (!user || !canAccessOwned(caller, user.id)) throw new NotFoundError('User');
    return user;
  }

  private today(): string {
    return calendarDateIn(this.clock.now(), this.config.competitionTimeZone);
  }

  private assertAdult(dateOfBirth: string, today: string): void {
    if (ageOn(dateOfBirth, today) < MINIMUM_AGE) throw new BadRequestError('Must be 18 or older');
  }
}
