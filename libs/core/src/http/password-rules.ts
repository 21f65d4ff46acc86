import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, ValidateBy, ValidationOptions } from 'class-validator';

export const PASSWORD_MIN_LENGTH = 12;
/** bcrypt only reads the first 72 bytes; a longer password would silently be truncated. */
export const PASSWORD_MAX_BYTES = 72;

/** Every rule the password breaks, empty when it is acceptable. */
export function passwordProblems(password: string): string[] {
  const problems: string[] = [];
  if (password.length < PASSWORD_MIN_LENGTH) problems.push(`at least ${PASSWORD_MIN_LENGTH} characters`);
  if (Buffer.byteLength(password, 'utf8') > PASSWORD_MAX_BYTES) {
    problems.push(`at most ${PASSWORD_MAX_BYTES} bytes`);
  }
  if (!/[A-Z]/.test(password)) problems.push('an upper-case letter');
  if (!/[a-z]/.test(password)) problems.push('a lower-case letter');
  if (!/\d/.test(password)) problems.push('a digit');
  if (!/[^A-Za-z0-9]/.test(password)) problems.push('a symbol');
  return problems;
}

/** A password meeting the rules above; the 422 names each broken rule. */
export const IsStrongPassword = (options?: ValidationOptions) =>
  applyDecorators(
    ApiProperty({
      minLength: PASSWORD_MIN_LENGTH,
      description: `${PASSWORD_MIN_LENGTH}+ characters with upper, lower, digit and symbol; at most ${PASSWORD_MAX_BYTES} bytes`,
      example: 'Correct-Horse-42',
    }),
    IsString(),
    ValidateBy(
      {
        name: 'isStrongPassword',
        validator: {
          validate: (value: unknown) => typeof value === 'string' && passwordProblems(value).length === 0,
          defaultMessage: (args) =>
            `$property must contain ${passwordProblems(typeof args?.value === 'string' ? args.value : '').join(', ')}`,
        },
      },
      options,
    ),
  );
