import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RefreshToken } from './entities/refresh-token.entity';
import { AuthToken } from './entities/auth-token.entity';

@Module({
  imports: [TypeOrmModule.forFeature([RefreshToken, AuthToken])],
})
export class AuthModule {}
