import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiEndpoint, Roles } from '@fittrack/core';
import { ReportsService } from './reports.service';
import { REPORT_EXAMPLE, ReportSummaryDto } from './dto/report-summary.dto';

@ApiTags('reports')
@ApiBearerAuth('bearer')
@Roles('admin')
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('summary')
  @ApiEndpoint('Report counts, integrity checks and workflow figures')
  @ApiOkResponse({
    description: 'Counts per entity, integrity checks (orphans, ledger vs balance) and workflow figures',
    type: ReportSummaryDto,
    example: REPORT_EXAMPLE,
  })
  getReportSummary(): Promise<ReportSummaryDto> {
    return this.reports.summary();
  }
}
