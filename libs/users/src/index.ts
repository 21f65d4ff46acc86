export * from './users.module';
export * from './entities/user.entity';
export * from './entities/profile.entity';
export * from './users.repository';
export * from './users.service';
export * from './tiers';
export * from './dto/user-response.dto';
