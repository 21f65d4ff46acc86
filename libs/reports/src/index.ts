export * from './reports.module';
export * from './reports.service';
export * from './dto/report-summary.dto';
