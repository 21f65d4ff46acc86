import type { BiologicalSex, FitnessLevel, Profile } from '../entities/profile.entity';
import type { Role, User, UserStatus } from '../entities/user.entity';
import type { ConnectionSummary } from '../users.repository';

export class ProfileResponseDto {
  display_name!: string;
  /** YYYY-MM-DD */
  date_of_birth!: string;
  state!: string;
  biological_sex!: BiologicalSex | null;
  fitness_level!: FitnessLevel | null;
  open_tier_opt_in!: boolean;
  timezone!: string;
  /** `{M|F}-{bracket}-{BEG|INT|ADV}`, `OPEN`, or null until sex and fitness level are set */
  tier_code!: string | null;
  updated_at!: string;
}

export class ConnectionSummaryDto {
  provider!: string;
  is_primary!: boolean;
  sync_status!: string;
  last_sync_at!: string | null;
}

export class UserResponseDto {
  id!: string;
  email!: string;
  role!: Role;
  status!: UserStatus;
  email_verified!: boolean;
  last_login_at!: string | null;
  point_balance!: number;
  total_points_earned!: number;
  created_at!: string;
  updated_at!: string;
  profile!: ProfileResponseDto | null;
  /** Only on single-user reads. */
  connections?: ConnectionSummaryDto[];
}

const iso = (value: Date | null | undefined): string | null => (value ? new Date(value).toISOString() : null);

export function toProfileResponse(profile: Profile): ProfileResponseDto {
  return {
    display_name: profile.displayName,
    date_of_birth: profile.dateOfBirth,
    state: profile.state,
    biological_sex: profile.biologicalSex,
    fitness_level: profile.fitnessLevel,
    open_tier_opt_in: Boolean(profile.openTierOptIn),
    timezone: profile.timezone,
    tier_code: profile.tierCode,
    updated_at: iso(profile.updatedAt)!,
  };
}

export function toUserResponse(user: User, connections?: ConnectionSummary[]): UserResponseDto {
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    status: user.status,
    email_verified: Boolean(user.emailVerified),
    last_login_at: iso(user.lastLoginAt),
    point_balance: user.pointBalance,
    total_points_earned: user.totalPointsEarned,
    created_at: iso(user.createdAt)!,
    updated_at: iso(user.updatedAt)!,
    profile: user.profile ? toProfileResponse(user.profile) : null,
    ...(connections
      ? {
          connections: connections.map((c) => ({
            provider: c.provider,
            is_primary: Boolean(c.isPrimary),
            sync_status: c.syncStatus,
            last_sync_at: iso(c.lastSyncAt),
          })),
        }
      : {}),
  };
}

export const PROFILE_EXAMPLE: ProfileResponseDto = {
  display_name: 'Jordan',
  date_of_birth: '1992-04-18',
  state: 'TX',
  biological_sex: 'female',
  fitness_level: 'intermediate',
  open_tier_opt_in: false,
  timezone: 'America/Chicago',
  tier_code: 'F-30-39-INT',
  updated_at: '2026-01-16T21:00:00.000Z',
};

export const USER_EXAMPLE: UserResponseDto = {
  id: '550e8400-e29b-41d4-a716-446655440000',
  email: 'jordan@example.com',
  role: 'user',
  status: 'active',
  email_verified: true,
  last_login_at: '2026-01-16T20:00:00.000Z',
  point_balance: 1420,
  total_points_earned: 5210,
  created_at: '2026-01-02T15:04:05.000Z',
  updated_at: '2026-01-16T21:00:00.000Z',
  profile: PROFILE_EXAMPLE,
};
