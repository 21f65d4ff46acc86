export * from './users.module';
export * from './entities/user.entity';
export * from './entities/profile.entity';
export * from './users.repository';
