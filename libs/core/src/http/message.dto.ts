import { ApiProperty } from '@nestjs/swagger';

/**
 * A response that only says what happened. One class for every route that answers so: Swagger names
 * schemas by class, and two classes of one name would document only one of them. Each route documents its
 * own message as the response's example.
 */
export class MessageResponseDto {
  @ApiProperty()
  message!: string;
}
