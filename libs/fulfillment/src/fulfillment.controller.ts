import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  ApiEndpoint,
  Authenticated,
  CurrentUser,
  IsUuidParam,
  mapPage,
  type Page,
  type Principal,
  Roles,
} from '@fittrack/core';
import {
  FULFILLMENT_EXAMPLE,
  type FulfillmentResponse,
  ListFulfillmentsQueryDto,
  ListSponsorsQueryDto,
  PrizeReportingQueryDto,
  RecordW9Dto,
  ShipFulfillmentDto,
  ShippingAddressDto,
  SponsorDto,
  UpdateFulfillmentDto,
} from './dto/fulfillment.dto';
import { FulfillmentService } from './fulfillment.service';
import { ComplianceService } from './compliance.service';
import { type SponsorResponse, SponsorsService, toSponsorResponse } from './sponsors.service';

const META = { page: 1, per_page: 20, total: 1, total_pages: 1 };
const SHIPPED_EXAMPLE: FulfillmentResponse = {
  ...FULFILLMENT_EXAMPLE,
  status: 'shipped',
  carrier: 'UPS',
  tracking_number: '1Z999AA10123456784',
  shipped_at: '2026-02-02T15:00:00.000Z',
  w9_received_at: '2026-02-02T10:00:00.000Z',
};
const SPONSOR_EXAMPLE: SponsorResponse = {
  id: 'd1e2f3a4-b5c6-4d7e-8f9a-0b1c2d3e4f5a',
  name: 'Acme Sports',
  contact_email: 'prizes@acme.example',
  website_url: 'https://acme.example',
  logo_url: null,
  is_active: true,
  created_at: '2026-01-02T10:00:00.000Z',
};

/** A winner's own prizes and the address that claims a physical one. */
@ApiTags('fulfillments')
@ApiBearerAuth('bearer')
@Controller('fulfillments')
export class FulfillmentsController {
  constructor(private readonly fulfillments: FulfillmentService) {}

  @Get()
  @Authenticated()
  @ApiEndpoint('List my prize fulfillments', { errors: { 422: 'page must not be greater than 10000' } })
  @ApiOkResponse({
    description: 'Own fulfillments, newest first',
    example: { data: [FULFILLMENT_EXAMPLE], meta: META },
  })
  listMyFulfillments(
    @Query() query: ListFulfillmentsQueryDto,
    @CurrentUser() principal: Principal,
  ): Promise<Page<FulfillmentResponse>> {
    return this.fulfillments.listOwn(query, principal);
  }

  @Get(':id')
  @Authenticated()
  @ApiEndpoint('Get one of my prize fulfillments', {
    description: 'What a winner’s claim link opens.',
    errors: { 404: 'Fulfillment not found', 422: 'id must be a UUID' },
  })
  @ApiOkResponse({ description: 'The fulfillment', example: FULFILLMENT_EXAMPLE })
  getMyFulfillment(
    @Param('id', IsUuidParam) id: string,
    @CurrentUser() principal: Principal,
  ): Promise<FulfillmentResponse> {
    return this.fulfillments.get(id, principal);
  }

  @Put(':id/address')
  @Authenticated()
  @ApiEndpoint('Confirm the US shipping address of a prize I won', {
    description:
      '`winner_notified` → `address_confirmed`; the address is stored encrypted; admins are emailed.',
    errors: {
      404: 'Fulfillment not found',
      409: 'Cannot confirm an address for a prize that is shipped',
      422: [
        'state must be a US state code (50 states + DC)',
        'postal_code must be a US ZIP code (12345 or 12345-6789)',
      ],
    },
  })
  @ApiOkResponse({ description: 'Address confirmed', example: FULFILLMENT_EXAMPLE })
  confirmFulfillmentAddress(
    @Param('id', IsUuidParam) id: string,
    @Body() dto: ShippingAddressDto,
    @CurrentUser() principal: Principal,
  ): Promise<FulfillmentResponse> {
    return this.fulfillments.confirmAddress(id, dto, principal);
  }
}

/** Admin side of fulfillment: the list, the workflow, shipping, W-9 and re-draws. */
@ApiTags('admin')
@ApiBearerAuth('bearer')
@Roles('admin')
@Controller('admin/fulfillments')
export class AdminFulfillmentsController {
  constructor(private readonly fulfillments: FulfillmentService) {}

  @Get()
  @ApiEndpoint('List prize fulfillments (admin)', {
    description: '`filter[status]=address_confirmed`, newest first.',
    errors: {
      422: 'filter.status must be one of the following values: pending, winner_notified, address_confirmed, shipped, delivered, forfeited, returned_to_sponsor',
    },
  })
  @ApiOkResponse({ description: 'Fulfillments', example: { data: [FULFILLMENT_EXAMPLE], meta: META } })
  adminListFulfillments(@Query() query: ListFulfillmentsQueryDto): Promise<Page<FulfillmentResponse>> {
    return this.fulfillments.listAll(query);
  }

  @Put(':id')
  @ApiEndpoint('Move a fulfillment along its workflow or set notes (admin)', {
    description:
      'pending→winner_notified, shipped→delivered, winner_notified→forfeited, forfeited→returned_to_sponsor; shipping has its own endpoint.',
    errors: {
      404: 'Fulfillment not found',
      409: [
        'Cannot transition from winner_notified to delivered',
        'Ship a prize with POST /admin/fulfillments/{id}/ship',
      ],
      422: 'notes must be shorter than or equal to 2000 characters',
    },
  })
  @ApiOkResponse({
    description: 'Updated',
    example: { ...SHIPPED_EXAMPLE, status: 'delivered', delivered_at: '2026-02-05T12:00:00.000Z' },
  })
  adminUpdateFulfillment(
    @Param('id', IsUuidParam) id: string,
    @Body() dto: UpdateFulfillmentDto,
    @CurrentUser() admin: Principal,
  ): Promise<FulfillmentResponse> {
    return this.fulfillments.update(id, dto, admin);
  }

  @Post(':id/ship')
  @HttpCode(200)
  @ApiEndpoint('Ship a physical prize (admin)', {
    description: '`address_confirmed` → `shipped` with carrier and tracking; the winner is emailed.',
    errors: {
      404: 'Fulfillment not found',
      409: [
        'W-9 required before shipping',
        'Cannot ship a prize that is winner_notified (the winner confirms an address first)',
      ],
      422: 'carrier must be longer than or equal to 1 characters',
    },
  })
  @ApiOkResponse({ description: 'Shipped', example: SHIPPED_EXAMPLE })
  adminShipFulfillment(
    @Param('id', IsUuidParam) id: string,
    @Body() dto: ShipFulfillmentDto,
    @CurrentUser() admin: Principal,
  ): Promise<FulfillmentResponse> {
    return this.fulfillments.ship(id, dto, admin);
  }

  @Put(':id/w9')
  @ApiEndpoint('Record that the winner’s W-9 arrived (admin)', {
    description: 'A reportable winner’s physical prize cannot ship before it.',
    errors: { 404: 'Fulfillment not found', 422: 'received must be true' },
  })
  @ApiOkResponse({
    description: 'Recorded',
    example: { ...FULFILLMENT_EXAMPLE, w9_received_at: '2026-02-02T10:00:00.000Z' },
  })
  adminRecordW9(
    @Param('id', IsUuidParam) id: string,
    @Body() _dto: RecordW9Dto,
    @CurrentUser() admin: Principal,
  ): Promise<FulfillmentResponse> {
    return this.fulfillments.recordW9(id, admin);
  }

  @Post(':id/redraw')
  @ApiEndpoint('Re-draw a forfeited prize (admin)', {
    description:
      'The alternate winner continues the drawing’s verifiable sequence (fair-draw.md, Re-draws): a new fulfillment, `winner_notified`, emailed. With no eligible owner left the prize goes back to the sponsor.',
    errors: {
      404: 'Fulfillment not found',
      409: [
        'Only a forfeited prize can be re-drawn (this one is shipped)',
        'Prize already re-drawn',
        'No eligible owner remains: the prize is returned to the sponsor',
      ],
    },
  })
  @ApiCreatedResponse({
    description: 'The alternate winner’s fulfillment',
    example: {
      ...FULFILLMENT_EXAMPLE,
      status: 'winner_notified',
      shipping_address: null,
      address_confirmed_at: null,
    },
  })
  adminRedrawFulfillment(
    @Param('id', IsUuidParam) id: string,
    @CurrentUser() admin: Principal,
  ): Promise<FulfillmentResponse> {
    return this.fulfillments.redraw(id, admin);
  }
}

@ApiTags('admin')
@ApiBearerAuth('bearer')
@Roles('admin')
@Controller('admin/sponsors')
export class SponsorsController {
  constructor(private readonly sponsors: SponsorsService) {}

  @Get()
  @ApiEndpoint('List prize sponsors (admin)', { errors: { 422: 'page must not be greater than 10000' } })
  @ApiOkResponse({ description: 'Sponsors by name', example: { data: [SPONSOR_EXAMPLE], meta: META } })
  async listSponsors(@Query() query: ListSponsorsQueryDto): Promise<Page<SponsorResponse>> {
    return mapPage(await this.sponsors.list(query), toSponsorResponse);
  }

  @Post()
  @ApiEndpoint('Create a prize sponsor (admin)', {
    errors: {
      409: 'A sponsor with this name already exists',
      422: 'name must be longer than or equal to 1 characters',
    },
  })
  @ApiCreatedResponse({ description: 'Created', example: SPONSOR_EXAMPLE })
  async createSponsor(@Body() dto: SponsorDto, @CurrentUser() admin: Principal): Promise<SponsorResponse> {
    return toSponsorResponse(await this.sponsors.create(dto, admin));
  }

  @Get(':id')
  @ApiEndpoint('Get a prize sponsor (admin)', {
    errors: { 404: 'Sponsor not found', 422: 'id must be a UUID' },
  })
  @ApiOkResponse({ description: 'The sponsor', example: SPONSOR_EXAMPLE })
  async getSponsor(@Param('id', IsUuidParam) id: string): Promise<SponsorResponse> {
    return toSponsorResponse(await this.sponsors.get(id));
  }

  @Put(':id')
  @ApiEndpoint('Update a prize sponsor (admin)', {
    errors: {
      404: 'Sponsor not found',
      409: 'A sponsor with this name already exists',
      422: 'id must be a UUID',
    },
  })
  @ApiOkResponse({ description: 'Updated', example: SPONSOR_EXAMPLE })
  async updateSponsor(
    @Param('id', IsUuidParam) id: string,
    @Body() dto: SponsorDto,
    @CurrentUser() admin: Principal,
  ): Promise<SponsorResponse> {
    return toSponsorResponse(await this.sponsors.update(id, dto, admin));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiEndpoint('Delete a prize sponsor (admin)', {
    description: 'Soft delete: prizes keep their sponsor on record.',
    errors: { 404: 'Sponsor not found', 422: 'id must be a UUID' },
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  async deleteSponsor(@Param('id', IsUuidParam) id: string, @CurrentUser() admin: Principal): Promise<void> {
    await this.sponsors.remove(id, admin);
  }
}

@ApiTags('admin')
@ApiBearerAuth('bearer')
@Roles('admin')
@Controller('admin/compliance')
export class ComplianceController {
  constructor(private readonly compliance: ComplianceService) {}

  @Get('drawings/:id')
  @ApiEndpoint('Get a drawing’s compliance report (admin)', {
    description:
      'Total prize value, entries bought vs free, winners with prize values, and the New York / Florida registrations it needs (total above $5,000 and their residents may enter).',
    errors: { 404: 'Drawing not found', 422: 'id must be a UUID' },
  })
  @ApiOkResponse({
    description: 'The report',
    example: {
      drawing_id: 'a4b7c2d1-5e6f-4a8b-9c0d-1e2f3a4b5c6d',
      name: 'Grand Drawing 2026',
      status: 'completed',
      drawing_time: '2026-01-31T21:00:00.000Z',
      total_prize_value_usd: 6000,
      prizes: [{ rank: 1, name: 'E-bike', value_usd: 6000, fulfillment_type: 'physical' }],
      entries: { total: 1200, bought: 1150, free: 50 },
      winners: [
        {
          prize_rank: 1,
          prize_name: 'E-bike',
          value_usd: 6000,
          user_id: '11111111-1111-4111-8111-111111111111',
          display_name: 'Alex R.',
          ticket_number: 412,
          fulfillment_status: 'winner_notified',
        },
      ],
      excluded_states: ['RI'],
      registrations: [
        {
          state: 'NY',
          required: true,
          bond_required: true,
          reason: 'Total prize value $6000 exceeds $5000 and NY residents may enter',
        },
        {
          state: 'FL',
          required: true,
          bond_required: true,
          reason: 'Total prize value $6000 exceeds $5000 and FL residents may enter',
        },
      ],
    },
  })
  getDrawingCompliance(@Param('id', IsUuidParam) id: string) {
    return this.compliance.drawing(id);
  }

  @Get('prize-reporting')
  @ApiEndpoint('Get the yearly prize-reporting report (admin)', {
    description:
      'Per winner, prizes won in the calendar year (UTC) and their total; `reportable` at or above PRIZE_REPORTING_THRESHOLD_USD, with `w9_received`. Forfeited and returned prizes do not count.',
    errors: { 422: 'year must be a year (YYYY)' },
  })
  @ApiOkResponse({
    description: 'The report',
    example: {
      year: 2026,
      threshold_usd: 2000,
      excludes_statuses: ['forfeited', 'returned_to_sponsor'],
      winners: [
        {
          user_id: '11111111-1111-4111-8111-111111111111',
          display_name: 'Alex R.',
          prizes: [
            {
              fulfillment_id: FULFILLMENT_EXAMPLE.id,
              drawing_id: FULFILLMENT_EXAMPLE.drawing_id,
              drawing_name: 'Grand Drawing 2026',
              prize_name: 'E-bike',
              value_usd: 6000,
              fulfillment_type: 'physical',
              status: 'address_confirmed',
              won_at: '2026-01-31T21:00:04.000Z',
            },
          ],
          total_value_usd: 6000,
          reportable: true,
          w9_received: false,
        },
      ],
    },
  })
  getPrizeReporting(@Query() query: PrizeReportingQueryDto) {
    return this.compliance.prizeReporting(Number(query.year));
  }
}
