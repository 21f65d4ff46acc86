export * from './seeding.module';
export * from './seed.service';
export * from './dataset';
