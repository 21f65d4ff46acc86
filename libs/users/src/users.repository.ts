import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { BaseRepository, LIST_ALIAS } from '@fittrack/core';
import { User } from './entities/user.entity';
import { Profile } from './entities/profile.entity';

/** Users with their profile (one aggregate). */
@Injectable()
export class UsersRepository extends BaseRepository<User> {
  protected readonly entityName = 'User';

  constructor(
    @InjectRepository(User) repository: Repository<User>,
    @InjectRepository(Profile) private readonly profiles: Repository<Profile>,
  ) {
    super(repository, {
      filters: {
        role: 'role',
        status: 'status',
        email: (qb, value) =>
          qb.andWhere(`${LIST_ALIAS}.email = :email`, { email: value.trim().toLowerCase() }),
        tier_code: (qb, value) =>
          qb.andWhere(`${LIST_ALIAS}.id IN (SELECT p.user_id FROM profiles p WHERE p.tier_code = :tier)`, {
            tier: value,
          }),
      },
      sorts: { created_at: 'createdAt', email: 'email' },
      defaultSort: '-created_at',
    });
  }

  override get(id: string): Promise<User | null> {
    return this.repository.findOne({ where: { id }, relations: { profile: true } });
  }

  findByEmail(email: string): Promise<User | null> {
    return this.repository.findOne({
      where: { email: email.trim().toLowerCase() },
      relations: { profile: true },
    });
  }

  protected override loadByIds(ids: string[]): Promise<User[]> {
    return this.repository.find({ where: ids.map((id) => ({ id })), relations: { profile: true } });
  }

  /** Creates the user and profile together. */
  async createWithProfile(user: Partial<User>, profile: Partial<Profile>): Promise<User> {
    return this.repository.manager.transaction(async (manager) => {
      const saved = await manager.save(manager.create(User, user));
      saved.profile = await manager.save(manager.create(Profile, { ...profile, userId: saved.id }));
      return saved;
    });
  }

  saveProfile(profile: Profile): Promise<Profile> {
    return this.profiles.save(profile);
  }
}
