import { Command, CommandRunner, Option } from 'nest-commander';
import { PasswordHasher } from '@fittrack/auth';
import { Clock, passwordProblems } from '@fittrack/core';
import { UsersRepository } from '@fittrack/users';

@Command({ name: 'create-admin', description: 'Create an active, verified admin account' })
export class CreateAdminCommand extends CommandRunner {
  constructor(
    private readonly users: UsersRepository,
    private readonly passwords: PasswordHasher,
    private readonly clock: Clock,
  ) {
    super();
  }

  async run(_params: string[], options: { email?: string; password?: string }): Promise<void> {
    const email = options.email?.trim().toLowerCase();
    const password = options.password ?? '';
    if (!email || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
      throw new Error('--email must be an email address');
    const problems = passwordProblems(password);
    if (problems.length) throw new Error(`--password must contain ${problems.join(', ')}`);
    if (await this.users.findByEmail(email)) throw new Error(`A user with email ${email} already exists`);
    const admin = await this.users.create({
      email,
      passwordHash: await this.passwords.hash(password),
      role: 'admin',
      status: 'active',
      emailVerified: true,
      emailVerifiedAt: this.clock.now(),
    });
    console.log(`Created admin ${admin.email} (${admin.id}).`);
  }

  @Option({ flags: '--email <email>', description: 'Login email', required: true })
  parseEmail(value: string): string {
    return value;
  }

  @Option({
    flags: '--password <password>',
    description: 'Password (12+ chars, upper, lower, digit, symbol)',
    required: true,
  })
  parsePassword(value: string): string {
    return value;
  }
}
