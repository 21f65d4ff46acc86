import { Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiEndpoint, Public } from '@fittrack/core';
import { type WebhookHeaders, WebhooksService } from './webhooks.service';

/** The path init-app gives a raw body parser: the signature covers the exact bytes. */
export const TERRA_WEBHOOK_PATH = '/api/v1/webhooks/terra';

@ApiTags('trackers')
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post('terra')
  @HttpCode(200)
  @Public()
  @ApiEndpoint("Receive Terra's webhooks", {
    description:
      'Signed by Terra (`terra-signature: t=…,v1=…`, HMAC-SHA256 over `t.body`). Stored once per body and processed through the queue; replays are harmless.',
    errors: { 400: 'Webhook body is not JSON', 401: 'Invalid webhook signature' },
  })
  @ApiBody({
    schema: { type: 'object' },
    examples: {
      deauth: {
        value: {
          type: 'deauth',
          user: { user_id: 'd81ea08d-ad4d-44bd-8394-ee4b68a3f96f', provider: 'FITBIT' },
        },
      },
    },
  })
  @ApiOkResponse({ example: { status: 'received' } })
  async receiveTerraWebhook(
    @Req() req: Request,
    @Headers() headers: WebhookHeaders,
  ): Promise<{ status: string }> {
    await this.webhooks.receive(req.body, headers);
    return { status: 'received' };
  }
}
