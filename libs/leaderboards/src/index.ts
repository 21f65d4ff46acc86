export * from './leaderboards.module';
export * from './leaderboards.service';
export * from './leaderboards.repository';
export * from './leaderboard-cache';
export * from './periods';
export * from './entities/leaderboard-rollup.entity';
