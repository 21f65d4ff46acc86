import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import {
  type AccessRole,
  type AppConfig,
  Clock,
  InjectConfig,
  randomToken,
  sha256Hex,
  UnauthorizedError,
} from '@fittrack/core';
import type { User } from '@fittrack/users';
import { AccessTokenDenyList } from './deny-list';
import { RefreshTokensRepository } from './refresh-tokens.repository';

export interface AccessClaims {
  sub: string;
  email: string;
  role: AccessRole;
  iat: number;
  exp: number;
  jti: string;
}

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_expires_in: number;
}

export const REFRESH_EXPIRED = 'Refresh token expired, please log in again';
export const REFRESH_INVALID = 'Invalid refresh token';

/** Access tokens (RS256 JWT) and rotating refresh tokens. Times come from the Clock, not the JWT library. */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly denyList: AccessTokenDenyList,
    private readonly clock: Clock,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  signAccessToken(user: Pick<User, 'id' | 'email' | 'role'>): { token: string; claims: AccessClaims } {
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    const claims: AccessClaims = {
      sub: user.id,
      email: user.email,
      role: user.role,
      iat,
      exp: iat + this.config.auth.accessTtlSeconds,
      jti: randomUUID(),
    };
    return { token: this.jwt.sign(claims), claims };
  }

  /** A new session (new family) or the next token of an existing family. */
  async issue(
    user: Pick<User, 'id' | 'email' | 'role'>,
    familyId: string = randomUUID(),
  ): Promise<TokenPair> {
    const { token, claims } = this.signAccessToken(user);
    const refreshToken = randomToken();
    await this.refreshTokens.create({
      userId: user.id,
      tokenHash: sha256Hex(refreshToken),
      familyId,
      expiresAt: new Date(this.clock.now().getTime() + this.config.auth.refreshTtlSeconds * 1000),
      rotatedAt: null,
      revokedAt: null,
      accessJti: claims.jti,
    });
    return {
      access_token: token,
      refresh_token: refreshToken,
      token_type: 'Bearer',
      expires_in: this.config.auth.accessTtlSeconds,
      refresh_expires_in: this.config.auth.refreshTtlSeconds,
    };
  }

  /**
   * Rotates a refresh token. Presenting one that was already rotated means it leaked (or a client replayed
   * it): the whole family is revoked, so the thief's copy dies with the legitimate one.
   */
  async rotate(
    refreshToken: string,
    loadUser: (id: string) => Promise<Pick<User, 'id' | 'email' | 'role'> | null>,
  ): Promise<TokenPair> {
    const now = this.clock.now();
    const stored = await this.refreshTokens.findByHash(sha256Hex(refreshToken));
    if (!stored || stored.revokedAt) throw new UnauthorizedError(REFRESH_INVALID);
    if (stored.rotatedAt) {
      await this.revokeFamily(stored.familyId);
      throw new UnauthorizedError(REFRESH_INVALID);
    }
    if (stored.expiresAt.getTime() <= now.getTime()) throw new UnauthorizedError(REFRESH_EXPIRED);
    const user = await loadUser(stored.userId);
    if (!user) throw new UnauthorizedError(REFRESH_INVALID);
    if (!(await this.refreshTokens.markRotated(stored.id, now))) {
      await this.revokeFamily(stored.familyId);
      throw new UnauthorizedError(REFRESH_INVALID);
    }
    return this.issue(user, stored.familyId);
  }

  async revokeFamily(familyId: string): Promise<void> {
    await this.denyAll(await this.refreshTokens.revoke({ familyId }, this.clock.now()));
  }

  /** Ends every session of a user, or every one but `exceptFamilyId` (the caller's own). */
  async revokeUserSessions(userId: string, exceptFamilyId?: string): Promise<void> {
    await this.denyAll(await this.refreshTokens.revoke({ userId }, this.clock.now(), exceptFamilyId));
  }

  /** Logout: the session's refresh token (from the body/cookie, or the one issued with this access token). */
  async logout(
    principal: { userId: string; jti: string; exp: number },
    refreshToken?: string,
  ): Promise<void> {
    const now = this.clock.now();
    const byJti = await this.refreshTokens.findByAccessJti(principal.userId, principal.jti);
    const byToken = refreshToken ? await this.refreshTokens.findByHash(sha256Hex(refreshToken)) : null;
    for (const session of [byJti, byToken]) {
      if (session && session.userId === principal.userId) {
        await this.denyAll(await this.refreshTokens.revoke({ id: session.id }, now));
      }
    }
    await this.denyList.deny(principal.jti, principal.exp);
  }

  familyOfAccessToken(userId: string, jti: string): Promise<string | undefined> {
    return this.refreshTokens.findByAccessJti(userId, jti).then((token) => token?.familyId);
  }

  /**
   * Access tokens whose exact expiry is unknown here are denied for a full access-token lifetime. One
   * after the other: callers run this in their unit of work, whose one connection takes one query at a
   * time (node-postgres warns of, and queues, a query sent while another runs).
   */
  private async denyAll(jtis: string[]): Promise<void> {
    const until = Math.floor(this.clock.now().getTime() / 1000) + this.config.auth.accessTtlSeconds;
    for (const jti of jtis) await this.denyList.deny(jti, until);
  }
}
