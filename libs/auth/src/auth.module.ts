import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { type AppConfig, appConfig, Clock } from '@fittrack/core';
import { NotificationsModule } from '@fittrack/notifications';
import { UsersModule } from '@fittrack/users';
import { RefreshToken } from './entities/refresh-token.entity';
import { AuthToken } from './entities/auth-token.entity';
import { DeniedAccessToken } from './entities/denied-access-token.entity';
import { AccessGuard } from './access.guard';
import { AuthController, PasswordController } from './auth.controller';
import { AuthService } from './auth.service';
import { AuthTokensRepository } from './auth-tokens.repository';
import { AccessTokenDenyList, MemoryDenyCache, RedisDenyCache } from './deny-list';
import { DeniedAccessTokensRepository } from './denied-access-tokens.repository';
import { JWT_KEYS, type JwtKeyPair, JwtKeysModule } from './jwt-keys';
import { AccessTokenVerifier } from './access-token';
import { PasswordHasher } from './password-hasher';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { TokenService } from './token.service';

const MINUTE_MS = 60_000;

@Module({
  imports: [
    TypeOrmModule.forFeature([RefreshToken, AuthToken, DeniedAccessToken]),
    UsersModule,
    NotificationsModule,
    JwtKeysModule,
    JwtModule.registerAsync({
      imports: [JwtKeysModule],
      inject: [JWT_KEYS.token],
      useFactory: ({ privateKey, publicKey }: JwtKeyPair) => ({
        privateKey,
        publicKey,
        signOptions: { algorithm: 'RS256' },
        verifyOptions: { algorithms: ['RS256'] },
      }),
    }),
    // Only the credential endpoints use ThrottlerGuard (per IP). RATE_LIMIT_PER_MINUTE (config.auth.
    // rateLimitPerMinute) is the future global limit; it is not enforced yet.
    ThrottlerModule.forRootAsync({
      inject: [appConfig.KEY],
      useFactory: (config: AppConfig) => [
        { name: 'auth', ttl: MINUTE_MS, limit: config.auth.authRateLimitPerMinute },
      ],
    }),
  ],
  controllers: [AuthController, PasswordController],
  providers: [
    DeniedAccessTokensRepository,
    {
      // The database is the deny-list; Redis (REDIS_URL) or, in one process without it, memory in front.
      provide: AccessTokenDenyList,
      inject: [appConfig.KEY, Clock, DeniedAccessTokensRepository],
      useFactory: (config: AppConfig, clock: Clock, tokens: DeniedAccessTokensRepository) => {
        const live = () => tokens.live(clock.now());
        return new AccessTokenDenyList(
          tokens,
          clock,
          config.redisUrl
            ? new RedisDenyCache(config.redisUrl, config.queuePrefix, live, clock)
            : new MemoryDenyCache(live, clock),
        );
      },
    },
    AuthTokensRepository,
    RefreshTokensRepository,
    PasswordHasher,
    TokenService,
    AuthService,
    AccessTokenVerifier,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [TokenService, AccessTokenDenyList, PasswordHasher],
})
export class AuthModule {}
