import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { Clock, type Principal, UnauthorizedError } from '@fittrack/core';
import { UsersRepository } from '@fittrack/users';
import { AccessTokenDenyList } from './deny-list';
import type { AccessClaims } from './token.service';
import { JWT_KEYS, type JwtKeyPair } from './jwt-keys';

export const TOKEN_EXPIRED = 'Token expired';
export const TOKEN_INVALID = 'Invalid token';

/**
 * Verifies the bearer token: RS256 only (so `alg: none` and HS256 signed with the public key fail), then
 * expiry against the injectable Clock, the deny-list, and that the user still exists and is active.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @JWT_KEYS.inject() keys: JwtKeyPair,
    private readonly users: UsersRepository,
    private readonly denyList: AccessTokenDenyList,
    private readonly clock: Clock,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // jsonwebtoken, which verifies for passport-jwt, takes the parsed KeyObject; these typings predate it.
      secretOrKey: keys.publicKey as unknown as Buffer,
      algorithms: ['RS256'],
      // Expiry is checked in validate() against the Clock, so tests can move time.
      ignoreExpiration: true,
    });
  }

  async validate(claims: AccessClaims): Promise<Principal> {
    const { sub, email, role, jti, exp } = claims;
    if (![sub, email, role, jti].every((v) => typeof v === 'string') || typeof exp !== 'number') {
      throw new UnauthorizedError(TOKEN_INVALID);
    }
    if (exp * 1000 <= this.clock.now().getTime()) throw new UnauthorizedError(TOKEN_EXPIRED);
    if (await this.denyList.isDenied(jti)) throw new UnauthorizedError(TOKEN_INVALID);
    const user = await this.users.findAccess(sub);
    // Soft-deleted users are not found; suspended or unverified ones no longer hold a valid session.
    if (!user || user.status !== 'active') throw new UnauthorizedError(TOKEN_INVALID);
    // The role comes from the database, so a demotion takes effect before the token expires.
    return { userId: user.id, email: user.email, role: user.role, jti, exp };
  }
}
