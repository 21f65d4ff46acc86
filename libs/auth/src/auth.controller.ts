import { Body, Controller, HttpCode, Post, Put, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import {
  type AppConfig,
  Authenticated,
  CurrentUser,
  InjectConfig,
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
  MessageResponseDto,
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
  @ApiCreatedResponse({ type: RegisterResponseDto })
  @ApiBadRequestResponse({ description: '`Must be 18 or older` / `State not eligible for sweepstakes`' })
  @ApiConflictResponse({ description: '`Email already registered`' })
  @ApiUnprocessableEntityResponse({ description: 'Password rules or other validation; `errors[]` per field' })
  @ApiRateLimited()
  register(@Body() dto: RegisterDto): Promise<RegisterResponseDto> {
    return this.auth.register(dto);
  }

  @Post('verify-email')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: MessageResponseDto })
  @ApiBadRequestResponse({
    description: '`Token expired, request new verification email` / `Invalid verification token`',
  })
  verifyEmail(@Body() dto: TokenDto): Promise<MessageResponseDto> {
    return this.auth.verifyEmail(dto.token);
  }

  @Post('resend-verification')
  @Public()
  @UseGuards(ThrottlerGuard)
  @HttpCode(202)
  @ApiAcceptedResponse({ description: 'Always, whether or not the account exists', type: MessageResponseDto })
  @ApiRateLimited()
  async resendVerification(@Body() dto: EmailDto): Promise<MessageResponseDto> {
    await this.auth.resendVerification(dto.email);
    return ACCEPTED;
  }

  @Post('login')
  @Public()
  @UseGuards(ThrottlerGuard)
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairDto, description: 'Also sets the HTTP-only `refresh_token` cookie' })
  @ApiUnauthorizedResponse({ description: '`Invalid email or password`' })
  @ApiForbiddenResponse({ description: '`Email not verified, check inbox`' })
  @ApiTooManyRequestsResponse({
    description: '`Account temporarily locked, try again in 15 minutes` (Retry-After), or the IP rate limit',
  })
  async login(@Body() dto: LoginDto, @Res({ passthrough: true }) response: Response): Promise<TokenPair> {
    return this.withCookie(response, await this.auth.login(dto.email, dto.password));
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairDto, description: 'A new pair; the presented refresh token stops working' })
  @ApiUnauthorizedResponse({
    description: '`Refresh token expired, please log in again` / `Invalid refresh token`',
  })
  async refresh(
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
  @ApiAcceptedResponse({ description: 'Always, whether or not the account exists', type: MessageResponseDto })
  @ApiRateLimited()
  async forgotPassword(@Body() dto: EmailDto): Promise<MessageResponseDto> {
    await this.auth.forgotPassword(dto.email);
    return ACCEPTED;
  }

  @Post('reset-password')
  @Public()
  @UseGuards(ThrottlerGuard)
  @HttpCode(200)
  @ApiOkResponse({ type: MessageResponseDto, description: 'Every session of the user is ended' })
  @ApiBadRequestResponse({ description: '`Reset token expired, request a new one` / `Invalid reset token`' })
  @ApiUnprocessableEntityResponse({ description: 'Password rules' })
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
  @ApiNoContentResponse({ description: 'Changed; every other session of the user is ended' })
  @ApiBadRequestResponse({ description: '`Current password is incorrect`' })
  @ApiUnprocessableEntityResponse({ description: 'Password rules' })
  async changePassword(@CurrentUser() principal: Principal, @Body() dto: ChangePasswordDto): Promise<void> {
    await this.auth.changePassword(principal, dto.current_password, dto.new_password);
  }
}
