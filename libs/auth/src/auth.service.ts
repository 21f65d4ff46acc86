import { Injectable, Logger } from '@nestjs/common';
import {
  type AppConfig,
  BadRequestError,
  Clock,
  ConflictError,
  ForbiddenError,
  InjectConfig,
  isUniqueViolation,
  Metrics,
  type Principal,
  randomToken,
  sha256Hex,
  TooManyRequestsError,
  UnauthorizedError,
  UnitOfWork,
} from '@fittrack/core';
import { EmailService } from '@fittrack/notifications';
import { tierCodeAt, type User, UsersRepository } from '@fittrack/users';
import { AuthTokensRepository } from './auth-tokens.repository';
import type { AuthTokenPurpose } from './entities/auth-token.entity';
import { assertEligible } from './eligibility';
import { afterFailure, CLEARED_LOCKOUT, LOCKOUT_DURATION_MS, lockedForSeconds } from './lockout';
import { PasswordHasher } from './password-hasher';
import { TokenService, type TokenPair } from './token.service';
import type { RegisterDto } from './dto/auth.dto';

export const INVALID_CREDENTIALS = 'Invalid email or password';
export const ACCOUNT_LOCKED = 'Account temporarily locked, try again in 15 minutes';
export const EMAIL_NOT_VERIFIED = 'Email not verified, check inbox';
export const VERIFY_EXPIRED = 'Token expired, request new verification email';
export const VERIFY_INVALID = 'Invalid verification token';
export const RESET_EXPIRED = 'Reset token expired, request a new one';
export const RESET_INVALID = 'Invalid reset token';

const VERIFICATION_TTL_MS = 24 * 3600 * 1000;
const RESET_TTL_MS = 3600 * 1000;

/**
 * Registration, email verification, login with lockout, password reset and change. Emails are written to
 * the outbox in the same transaction as the change, and queued after commit. No answer reveals whether an
 * email address has an account, except registration's 409, which the contract requires.
 */
@Injectable()
export class AuthService {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly users: UsersRepository,
    private readonly authTokens: AuthTokensRepository,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly email: EmailService,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    @InjectConfig() private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {}

  async register(input: RegisterDto): Promise<{ user_id: string; message: string }> {
    const now = this.clock.now();
    assertEligible({ dateOfBirth: input.date_of_birth, state: input.state }, now, this.config);
    if (await this.users.findByEmailWithDeleted(input.email))
      throw new ConflictError('Email already registered');
    const passwordHash = await this.hasher.hash(input.password);
    const profile = {
      displayName: input.display_name ?? input.email.split('@')[0].slice(0, 60),
      dateOfBirth: input.date_of_birth,
      state: input.state,
      biologicalSex: input.biological_sex ?? null,
      fitnessLevel: input.fitness_level ?? null,
      openTierOptIn: false,
      timezone: this.config.competitionTimeZone,
    };
    let outboxId: string;
    let userId: string;
    try {
      ({ outboxId, userId } = await this.unitOfWork.run(async () => {
        const user = await this.users.createWithProfile(
          { email: input.email, passwordHash, role: 'user', status: 'pending', emailVerified: false },
          { ...profile, tierCode: tierCodeAt(profile, now, this.config.competitionTimeZone) },
        );
        return { userId: user.id, outboxId: await this.sendVerification(user, profile.displayName) };
      }));
    } catch (error) {
      // Two registrations racing for one address: the loser gets the same 409.
      if (isUniqueViolation(error)) throw new ConflictError('Email already registered');
      throw error;
    }
    this.metrics.registrations.inc();
    await this.email.dispatch(outboxId);
    this.logger.log(`Registered user ${userId}`);
    return { user_id: userId, message: 'Verification email sent' };
  }

  async verifyEmail(token: string): Promise<{ message: string }> {
    const now = this.clock.now();
    const stored = await this.authTokens.findByHash('email_verification', sha256Hex(token));
    if (!stored || stored.usedAt) throw new BadRequestError(VERIFY_INVALID);
    if (stored.expiresAt.getTime() <= now.getTime()) throw new BadRequestError(VERIFY_EXPIRED);
    const user = await this.users.get(stored.userId);
    if (!user) throw new BadRequestError(VERIFY_INVALID);
    const outboxId = await this.unitOfWork.run(async () => {
      if (!(await this.authTokens.consume(stored.id, now))) {
        throw new BadRequestError(VERIFY_INVALID);
      }
      await this.users.updateColumns(user.id, {
        status: user.status === 'pending' ? 'active' : user.status,
        emailVerified: true,
        emailVerifiedAt: now,
      });
      return this.email.record(user.email, 'welcome', { name: this.nameOf(user) });
    });
    await this.email.dispatch(outboxId);
    return { message: 'Email verified' };
  }

  /** 202 whatever happens; only an existing, unverified account gets a new link (the old one stops working). */
  async resendVerification(email: string): Promise<void> {
    const user = await this.users.findByEmail(email);
    if (!user || user.emailVerified) return;
    const outboxId = await this.unitOfWork.run(() => this.sendVerification(user, this.nameOf(user)));
    await this.email.dispatch(outboxId);
  }

  async login(email: string, password: string): Promise<TokenPair> {
    const user = await this.users.findByEmail(email);
    if (!user) {
      await this.hasher.verifyNobody(password);
      throw new UnauthorizedError(INVALID_CREDENTIALS);
    }
    const now = this.clock.now();
    const lockedFor = lockedForSeconds(user, now);
    if (lockedFor > 0) throw new TooManyRequestsError(ACCOUNT_LOCKED, lockedFor);
    if (!(await this.hasher.verify(password, user.passwordHash))) {
      const next = afterFailure(user, now);
      await this.users.updateColumns(user.id, next);
      this.logger.warn(`Failed login for user ${user.id} (${next.failedLoginCount} in window)`);
      if (next.lockedUntil) {
        this.logger.warn(`Locked user ${user.id} until ${next.lockedUntil.toISOString()}`);
        throw new TooManyRequestsError(ACCOUNT_LOCKED, LOCKOUT_DURATION_MS / 1000);
      }
      throw new UnauthorizedError(INVALID_CREDENTIALS);
    }
    if (!user.emailVerified || user.status === 'pending') throw new ForbiddenError(EMAIL_NOT_VERIFIED);
    if (user.status !== 'active') throw new ForbiddenError('Account suspended');
    await this.users.updateColumns(user.id, { ...CLEARED_LOCKOUT, lastLoginAt: now });
    return this.tokens.issue(user);
  }

  refresh(refreshToken: string): Promise<TokenPair> {
    return this.tokens.rotate(refreshToken, async (id) => {
      const user = await this.users.get(id);
      return user?.status === 'active' ? user : null;
    });
  }

  logout(principal: Principal, refreshToken?: string): Promise<void> {
    return this.tokens.logout(principal, refreshToken);
  }

  /** 202 whatever happens; an existing account gets a 1-hour single-use reset link. */
  async forgotPassword(email: string): Promise<void> {
    const user = await this.users.findByEmail(email);
    if (!user) return;
    const outboxId = await this.unitOfWork.run(async () => {
      const token = await this.createToken(user.id, 'password_reset', RESET_TTL_MS);
      const url = `${this.config.publicBaseUrl}/test/#auth?reset_token=${token}`;
      return this.email.record(user.email, 'password_reset', { name: this.nameOf(user), url });
    });
    await this.email.dispatch(outboxId);
  }

  /** Sets the new password and ends every session of the user. */
  async resetPassword(token: string, newPassword: string): Promise<{ message: string }> {
    const now = this.clock.now();
    const stored = await this.authTokens.findByHash('password_reset', sha256Hex(token));
    if (!stored || stored.usedAt) throw new BadRequestError(RESET_INVALID);
    if (stored.expiresAt.getTime() <= now.getTime()) throw new BadRequestError(RESET_EXPIRED);
    const passwordHash = await this.hasher.hash(newPassword);
    await this.unitOfWork.run(async () => {
      if (!(await this.authTokens.consume(stored.id, now))) {
        throw new BadRequestError(RESET_INVALID);
      }
      await this.users.updateColumns(stored.userId, { passwordHash, ...CLEARED_LOCKOUT });
      await this.tokens.revokeUserSessions(stored.userId);
    });
    this.logger.log(`Password reset for user ${stored.userId}`);
    return { message: 'Password has been reset' };
  }

  /** Changes the password; every other session of the user ends, the caller's own continues. */
  async changePassword(principal: Principal, currentPassword: string, newPassword: string): Promise<void> {
    const user = await this.users.get(principal.userId);
    if (!user) throw new UnauthorizedError('Invalid token');
    if (!(await this.hasher.verify(currentPassword, user.passwordHash))) {
      throw new BadRequestError('Current password is incorrect');
    }
    const passwordHash = await this.hasher.hash(newPassword);
    // The new password and the end of the other sessions commit together, or neither does.
    await this.unitOfWork.run(async () => {
      await this.users.updateColumns(user.id, { passwordHash });
      const family = await this.tokens.familyOfAccessToken(user.id, principal.jti);
      await this.tokens.revokeUserSessions(user.id, family);
    });
    this.logger.log(`Password changed for user ${user.id}`);
  }

  private async sendVerification(user: User, name: string): Promise<string> {
    const token = await this.createToken(user.id, 'email_verification', VERIFICATION_TTL_MS);
    const url = `${this.config.publicBaseUrl}/test/#auth?verify_token=${token}`;
    return this.email.record(user.email, 'verification', { name, url, hours: 24 });
  }

  /** A new single-use token; earlier unused ones of the same purpose stop working. */
  private async createToken(userId: string, purpose: AuthTokenPurpose, ttlMs: number): Promise<string> {
    const now = this.clock.now();
    await this.authTokens.consumeAllFor(userId, purpose, now);
    const token = randomToken();
    await this.authTokens.create({
      userId,
      purpose,
      tokenHash: sha256Hex(token),
      expiresAt: new Date(now.getTime() + ttlMs),
      usedAt: null,
    });
    return token;
  }

  private nameOf(user: User): string {
    return user.profile?.displayName ?? user.email;
  }
}
