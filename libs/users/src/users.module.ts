import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { User } from './entities/user.entity';
import { Profile } from './entities/profile.entity';
import { UsersRepository } from './users.repository';
import { AccessCache } from './access-cache';
import { UsersService } from './users.service';
import { UsersController } from './users.controller';
import { AdminUsersController } from './admin-users.controller';
import { MeController } from './me/me.controller';
import { PublicRankReader, TierChangedHooks } from './tier-changes';
import { BirthdayTiersHandler } from './birthday-tiers.job';

@Module({
  imports: [TypeOrmModule.forFeature([User, Profile])],
  // Routes match in registration order: a `/users/me` controller must come before UsersController,
  // whose `/users/:id` would otherwise take `me` as an id (and answer 422).
  controllers: [MeController, UsersController, AdminUsersController],
  providers: [
    AccessCache,
    UsersRepository,
    UsersService,
    TierChangedHooks,
    PublicRankReader,
    BirthdayTiersHandler,
  ],
  exports: [UsersRepository, UsersService, TierChangedHooks, PublicRankReader],
})
export class UsersModule {}
