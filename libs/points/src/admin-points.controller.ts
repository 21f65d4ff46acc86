import { randomUUID } from 'node:crypto';
import { Body, Controller, Headers, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentUser, IsUuidParam, type Principal, Roles, UnprocessableError } from '@fittrack/core';
import { PointsService } from './points.service';
import {
  AdjustPointsDto,
  AdjustPointsResponseDto,
  toTransactionResponse,
  TRANSACTION_EXAMPLE,
} from './dto/points.dto';

/** A client's retry key: printable ASCII, as Stripe-style Idempotency-Key headers are. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,100}$/;

@ApiTags('admin')
@ApiBearerAuth('bearer')
@Roles('admin')
@Controller('admin/users/:id/points')
export class AdminPointsController {
  constructor(private readonly points: PointsService) {}

  @Post('adjust')
  @HttpCode(201)
  @ApiOperation({
    operationId: 'adjustUserPoints',
    summary: "Adjust a user's points",
    description:
      "Posts an `adjust` entry to the user's ledger (referencing the admin). The balance may not go below 0. " +
      'With an `Idempotency-Key` header, a retried request returns the first result and changes nothing.',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Up to 100 printable ASCII characters',
  })
  @ApiCreatedResponse({
    type: AdjustPointsResponseDto,
    example: {
      transaction: {
        ...TRANSACTION_EXAMPLE,
        transaction_type: 'adjust',
        reference_type: 'admin',
        earned_on: null,
      },
      point_balance: 1528,
      replayed: false,
    },
  })
  @ApiNotFoundResponse({ description: 'No such user' })
  @ApiConflictResponse({ description: '`Insufficient points`: the balance would go below 0' })
  @ApiUnprocessableEntityResponse({ description: 'Amount not a non-zero whole number, reason missing' })
  async adjust(
    @Param('id', IsUuidParam) userId: string,
    @Body() dto: AdjustPointsDto,
    @CurrentUser() admin: Principal,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<AdjustPointsResponseDto> {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new UnprocessableError('Idempotency-Key must be 1 to 100 printable ASCII characters');
    }
    const { entry, replayed } = await this.points.adjust(
      userId,
      dto,
      admin.userId,
      idempotencyKey ?? randomUUID(),
    );
    // An admin adjust is never clamped, so an entry always exists.
    return { transaction: toTransactionResponse(entry!), point_balance: entry!.balanceAfter, replayed };
  }
}
