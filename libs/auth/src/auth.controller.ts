import { Body, Controller, HttpCode, Post, Put, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import {
  ApiEndpoint,
  type AppConfig,
  Authenticated,
  CurrentUser,
  InjectConfig,
  MessageResponseDto,
  type Principal,
  Public,
  UnauthorizedError,
} from '@fittrack/core';
import { AuthService } from './auth.service';
import { ApiRateLimited } from './decorators';
import {
  ChangePasswordDto,
  EmailDto,
  LoginDto,
  RefreshDto,
  RegisterDto,
  RegisterResponseDto,
  ResetPasswordDto,
  TokenDto,
  TokenPairDto,
} from './dto/auth.dto';
import { REFRESH_INVALID, type TokenPair } from './token.service';

export const REFRESH_COOKIE = 'refresh_token';
const ACCEPTED = { message: 'If the account exists, an email is on its way' };
const TOKEN_PAIR_EXAMPLE = {
  access_token: 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI1NTBlODQwMCJ9.c2lnbmF0dXJl',
  refresh_token: 'q8Xz3kP0vW5yR2tN7mB4cF6hJ1sL9dG0',
  token_type: 'Bearer',
  expires_in: 1800,
  refresh_expires_in: 604800,
};

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  @Post('register')
  @Public()
  @UseGuards(ThrottlerGuard)
  @ApiEndpoint('Register an account', {
    description: 'The account can log in once the emailed verification link is followed.',
    errors: {
      400: ['Must be 18 or older', 'State not eligible for sweepstakes'],
      409: 'Email already registered',
      422: 'password must contain at least 12 characters, a symbol',
    },
  })
  @ApiCreatedResponse({
    type: RegisterResponseDto,
    example: { user_id: '550e8400-e29b-41d4-a716-446655440000', message: 'Verification email sent' },
  })
  @ApiRateLimited()
  register(@Body() dto: RegisterDto): Promise<RegisterResponseDto> {
    return this.auth.register(dto);
  }

  @Post('verify-email')
  @Public()
  @HttpCode(200)
  @ApiEndpoint('Verify an email address', {
    errors: { 400: ['Token expired, request new verification email', 'Invalid verification token'] },
  })
  @ApiOkResponse({ type: MessageResponseDto, example: { message: 'Email verified' } })
  verifyEmail(@Body() dto: TokenDto): Promise<MessageResponseDto> {
    return this.auth.verifyEmail(dto.token);
  }

  @Post('resend-verification')
  @Public()
  @UseGuards(ThrottlerGuard)
  @HttpCode(202)
  @ApiEndpoint('Resend the verification email')
  @ApiAcceptedResponse({
    description: 'Always, whether or not the account exists',
    type: MessageResponseDto,
    example: ACCEPTED,
  })
  @ApiRateLimited()
  async resendVerification(@Body() dto: EmailDto): Promise<MessageResponseDto> {
    await this.auth.resendVerification(dto.email);
    return ACCEPTED;
  }

  @Post('login')
  @Public()
  @UseGuards(ThrottlerGuard)
  @HttpCode(200)
  @ApiEndpoint('Log in', {
    description: 'Answers an access/refresh token pair and sets the refresh token as an HTTP-only cookie.',
    errors: {
      401: 'Invalid email or password',
      403: 'Email not verified, check inbox',
      429: ['Account temporarily locked, try again in 15 minutes', 'Too many requests, slow down'],
    },
  })
  @ApiOkResponse({
    type: TokenPairDto,
    description: 'Also sets the HTTP-only `refresh_token` cookie',
    example: TOKEN_PAIR_EXAMPLE,
  })
  async login(@Body() dto: LoginDto, @Res({ passthrough: true }) response: Response): Promise<TokenPair> {
    return this.withCookie(response, await this.auth.login(dto.email, dto.password));
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiEndpoint('Exchange a refresh token for a new token pair', {
    description: 'The refresh token comes in the body or the `refresh_token` cookie; it works once.',
    errors: { 401: ['Refresh token expired, please log in again', 'Invalid refresh token'] },
  })
  @ApiOkResponse({
    type: TokenPairDto,
    description: 'A new pair; the presented refresh token stops working',
    example: TOKEN_PAIR_EXAMPLE,
  })
  async refreshTokens(
    @Body() dto: RefreshDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TokenPair> {
    const token = dto.refresh_token ?? this.cookieToken(request);
    if (!token) throw new UnauthorizedError(REFRESH_INVALID);
    return this.withCookie(response, await this.auth.refresh(token));
  }

  @Post('logout')
  @Authenticated()
  @HttpCode(204)
  @ApiEndpoint('Log out', {
    description: "Revokes the session's refresh token; this access token is refused from now on.",
  })
  @ApiNoContentResponse({
    description: "The session's refresh token is revoked and this access token refused",
  })
  async logout(
    @CurrentUser() principal: Principal,
    @Body() dto: RefreshDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    await this.auth.logout(principal, dto.refresh_token ?? this.cookieToken(request));
    response.clearCookie(REFRESH_COOKIE, { path: '/api/v1/auth' });
  }

  @Post('forgot-password')
  @Public()
  @UseGuards(ThrottlerGuard)
  @HttpCode(202)
  @ApiEndpoint('Request a password reset email')
  @ApiAcceptedResponse({
    description: 'Always, whether or not the account exists',
    type: MessageResponseDto,
    example: ACCEPTED,
  })
  @ApiRateLimited()
  async forgotPassword(@Body() dto: EmailDto): Promise<MessageResponseDto> {
    await this.auth.forgotPassword(dto.email);
    return ACCEPTED;
  }

  @Post('reset-password')
  @Public()
  @UseGuards(ThrottlerGuard)
  @HttpCode(200)
  @ApiEndpoint('Set a new password with a reset token', {
    errors: {
      400: ['Reset token expired, request a new one', 'Invalid reset token'],
      422: 'password must contain at least 12 characters, a symbol',
    },
  })
  @ApiOkResponse({
    type: MessageResponseDto,
    description: 'Every session of the user is ended',
    example: { message: 'Password has been reset' },
  })
  @ApiRateLimited()
  resetPassword(@Body() dto: ResetPasswordDto): Promise<MessageResponseDto> {
    return this.auth.resetPassword(dto.token, dto.new_password);
  }

  private cookieToken(request: Request): string | undefined {
    const value: unknown = request.cookies?.[REFRESH_COOKIE];
    return typeof value === 'string' && value ? value : undefined;
  }

  /** The refresh token also travels as an HTTP-only cookie scoped to the auth routes. */
  private withCookie(response: Response, pair: TokenPair): TokenPair {
    response.cookie(REFRESH_COOKIE, pair.refresh_token, {
      httpOnly: true,
      secure: this.config.production,
      sameSite: 'strict',
      path: '/api/v1/auth',
      maxAge: pair.refresh_expires_in * 1000,
    });
    return pair;
  }
}

/** PUT /users/me/password lives with auth: it checks the password and ends the other sessions. */
@ApiTags('users')
@Controller('users/me')
export class PasswordController {
  constructor(private readonly auth: AuthService) {}

  @Put('password')
  @Authenticated()
  @HttpCode(204)
  @ApiEndpoint('Change my password', {
    errors: {
      400: 'Current password is incorrect',
      422: 'password must contain at least 12 characters, a symbol',
    },
  })
  @ApiNoContentResponse({ description: 'Changed; every other session of the user is ended' })
  async changePassword(@CurrentUser() principal: Principal, @Body() dto: ChangePasswordDto): Promise<void> {
    await this.auth.changePassword(principal, dto.current_password, dto.new_password);
  }
}
