import { Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import {
  Clock,
  DomainError,
  isDatabaseBusy,
  type Principal,
  ServiceUnavailableError,
  UnauthorizedError,
} from '@fittrack/core';
import { UsersRepository } from '@fittrack/users';
import { AccessTokenDenyList } from './deny-list';
import type { AccessClaims } from './token.service';

export const TOKEN_EXPIRED = 'Token expired';
export const TOKEN_INVALID = 'Invalid token';
export const TOKEN_MISSING = 'Authentication required';

/** Tokens whose signature this process has checked, kept at most; past it the oldest go first. */
const MAX_VERIFIED = 20_000;
/** As passport-jwt read it: the scheme case-insensitively, then the first word after it. */
const BEARER = /^\s*Bearer\s+(\S+)/i;

/**
 * Turns a request's bearer token into its principal: RS256 only (so `alg: none` and HS256 signed with the
 * public key fail), then expiry against the injectable Clock, the deny-list, and that the user still exists
 * and is active, with the role read from the database (so a demotion takes effect before the token
 * expires). A token's signature is checked once per process: the verified claims are kept by the token's
 * exact text, which no other token shares; everything after the signature is checked on every request
 * (ADR 0020).
 */
@Injectable()
export class AccessTokenVerifier {
  private readonly logger = new Logger('AccessToken');
  private readonly verified = new Map<string, AccessClaims>();

  constructor(
    private readonly jwt: JwtService,
    private readonly users: UsersRepository,
    private readonly denyList: AccessTokenDenyList,
    private readonly clock: Clock,
  ) {}

  /**
   * The principal of an `Authorization: Bearer` header. Throws 401 with the contract's message for a
   * missing or refused token, 503 when the deny-list or the user cannot be checked (never lets it pass).
   */
  async principal(authorization: string | undefined): Promise<Principal> {
    const token = authorization ? BEARER.exec(authorization)?.[1] : undefined;
    if (!token) throw new UnauthorizedError(TOKEN_MISSING);
    const claims = this.claims(token);
    if (claims.exp * 1000 <= this.clock.now().getTime()) {
      this.verified.delete(token);
      throw new UnauthorizedError(TOKEN_EXPIRED);
    }
    try {
      if (await this.denyList.isDenied(claims.jti)) throw new UnauthorizedError(TOKEN_INVALID);
      const user = await this.users.findAccess(claims.sub);
      // Soft-deleted users are not found; suspended or unverified ones no longer hold a valid session.
      if (!user || user.status !== 'active') throw new UnauthorizedError(TOKEN_INVALID);
      return { userId: user.id, email: user.email, role: user.role, jti: claims.jti, exp: claims.exp };
    } catch (error) {
      // A busy pool is answered 503 busy by the problem filter (ADR 0032), counted there, not logged here.
      if (error instanceof DomainError || isDatabaseBusy(error)) throw error;
      // Not a verdict on the token but a failure checking it, e.g. the database down: refuse with 503
      // rather than pass or blame the client's token.
      this.logger.error(`Checking an access token failed: ${String(error)}`);
      throw new ServiceUnavailableError('Authentication cannot be checked right now; try again shortly');
    }
  }

  /** The token's claims once its signature and shape check out (expiry is the Clock's, checked above). */
  private claims(token: string): AccessClaims {
    const known = this.verified.get(token);
    if (known) return known;
    let claims: AccessClaims;
    try {
      claims = this.jwt.verify<AccessClaims>(token, { algorithms: ['RS256'], ignoreExpiration: true });
    } catch {
      throw new UnauthorizedError(TOKEN_INVALID);
    }
    const { sub, email, role, jti, exp } = claims;
    if (![sub, email, role, jti].every((v) => typeof v === 'string') || typeof exp !== 'number') {
      throw new UnauthorizedError(TOKEN_INVALID);
    }
    if (this.verified.size >= MAX_VERIFIED) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, claims);
    return claims;
  }
}
