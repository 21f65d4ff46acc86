import { Injectable } from '@nestjs/common';
import { compare, hash } from 'bcrypt';
import { type AppConfig, InjectConfig } from '@fittrack/core';

/** bcrypt at BCRYPT_COST. */
@Injectable()
export class PasswordHasher {
  /** Compared against when the email is unknown, so that answer takes as long as a wrong password. */
  private dummyHash?: Promise<string>;

  constructor(@InjectConfig() private readonly config: AppConfig) {}

  hash(password: string): Promise<string> {
    return hash(password, this.config.auth.bcryptCost);
  }

  verify(password: string, passwordHash: string): Promise<boolean> {
    return compare(password, passwordHash);
  }

  /** Spends the same time as `verify` and always fails. */
  async verifyNobody(password: string): Promise<false> {
    this.dummyHash ??= this.hash('no-such-user-placeholder');
    await compare(password, await this.dummyHash);
    return false;
  }
}
