import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, ValidateNested } from 'class-validator';
import {
  ApiEndpoint,
  type AppConfig,
  InjectConfig,
  IsSort,
  ListQueryDto,
  mapPage,
  NotFoundError,
  type Page,
  Roles,
  toLower,
} from '@fittrack/core';
import { EmailOutboxRepository } from './email-outbox.repository';
import { type EmailTemplateName, TEMPLATES } from './email-templates';
import { EMAIL_STATUSES, type EmailOutbox, type EmailStatus } from './entities/email-outbox.entity';

export class EmailFilterDto {
  @IsOptional()
  @Transform(toLower)
  @IsEmail()
  to?: string;

  @IsOptional()
  @IsIn(EMAIL_STATUSES)
  status?: EmailStatus;

  /** The templates the app has (email-templates.ts); a new template joins the filter by itself. */
  @IsOptional()
  @IsIn(Object.keys(TEMPLATES))
  template?: EmailTemplateName;
}

export class ListEmailsQueryDto extends ListQueryDto {
  @IsSort(['created_at'])
  declare sort?: string;

  @ApiProperty({
    required: false,
    type: EmailFilterDto,
    description: '`filter[to]`, `filter[status]`, `filter[template]`',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => EmailFilterDto)
  filter?: EmailFilterDto;
}

export const toEmailResponse = (email: EmailOutbox) => ({
  id: email.id,
  to: email.toAddress,
  subject: email.subject,
  template: email.template,
  status: email.status,
  attempts: email.attempts,
  last_error: email.lastError,
  body_text: email.bodyText,
  body_html: email.bodyHtml,
  created_at: email.createdAt.toISOString(),
  sent_at: email.sentAt ? email.sentAt.toISOString() : null,
});

/** The dev/test mailbox: every email the app wrote, newest first. Not available in production (404). */
@ApiTags('admin')
@ApiBearerAuth('bearer')
@Roles('admin')
@Controller('admin/emails')
export class AdminEmailsController {
  constructor(
    private readonly outbox: EmailOutboxRepository,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiEndpoint('List the emails the app wrote (development mailbox)', {
    description: 'Every outbox email, newest first; not available in production.',
    errors: {
      404: 'Resource not found',
      422: 'template must be one of the following values: verification, welcome, password_reset',
    },
  })
  @ApiOkResponse({
    description: 'A page of outbox emails, newest first',
    example: {
      data: [
        {
          id: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
          to: 'robin@example.com',
          subject: 'Verify your FitTrack email',
          template: 'verification',
          status: 'sent',
          attempts: 1,
          last_error: null,
          body_text: 'Hi Robin, …',
          body_html: '<p>Hi Robin, …</p>',
          created_at: '2026-01-16T20:45:00.000Z',
          sent_at: '2026-01-16T20:45:01.000Z',
        },
      ],
      meta: { page: 1, per_page: 20, total: 1, total_pages: 1 },
    },
  })
  async listEmails(@Query() query: ListEmailsQueryDto): Promise<Page<ReturnType<typeof toEmailResponse>>> {
    if (this.config.production) throw new NotFoundError('Resource');
    const page = await this.outbox.list(query);
    return mapPage(page, toEmailResponse);
  }
}
