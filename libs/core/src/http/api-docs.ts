import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  type OpenAPIObject,
  type ResponseObject,
} from '@nestjs/swagger';
import { TITLES } from './problem-details.filter';

/**
 * OpenAPI for client developers, in one decorator per operation. The operation id is the handler's
 * method name (init-app.ts sets Swagger's operationIdFactory), so name handlers as a generated client
 * should call them: `getMe`, `listDrawings`. `npm run lint:openapi` (redocly.yaml) fails on an operation
 * without a summary, an example or a 4xx response.
 */

export type ApiErrorStatus = 400 | 401 | 403 | 404 | 409 | 422 | 429 | 503;

/** What `errors` in an ApiEndpoint maps: a status to the `detail` messages it answers with. */
export type ApiErrors = Partial<Record<ApiErrorStatus, string | string[]>>;

class FieldErrorDto {
  @ApiProperty({ example: 'email' })
  field!: string;

  @ApiProperty({ example: 'email must be an email' })
  message!: string;
}

/** RFC 7807 problem+json, as ProblemDetailsFilter writes it for every error. */
export class ProblemDetailsDto {
  @ApiProperty({ example: 'https://fittrack.app/problems/404' })
  type!: string;

  @ApiProperty({ example: 'Not Found' })
  title!: string;

  @ApiProperty({ example: 404 })
  status!: number;

  @ApiProperty({ description: 'What went wrong, for people', example: 'Drawing not found' })
  detail!: string;

  @ApiProperty({
    description: 'The request path',
    example: '/api/v1/drawings/550e8400-e29b-41d4-a716-446655440000',
  })
  instance!: string;

  @ApiPropertyOptional({
    description: 'Also in the X-Request-Id header',
    example: 'b3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  })
  request_id?: string;

  @ApiPropertyOptional({ type: [FieldErrorDto], description: '422 only: one entry per failed field rule' })
  errors?: FieldErrorDto[];
}

/** The field a class-validator message names: `email must be …`, `property nope should not exist`. */
const fieldOf = (message: string) => /^property (\S+)/.exec(message)?.[1] ?? message.split(' ')[0];

const markdownList = (details: string[]) => details.map((detail) => `\`${detail}\``).join(' / ');

/** One error response with a problem+json example (`instance`: see completeOpenApiDocument). */
export const ApiProblem = (status: ApiErrorStatus, details: string | string[]) => {
  const all = ([] as string[]).concat(details);
  const example = {
    type: `https://fittrack.app/problems/${status}`,
    title: TITLES[status],
    status,
    detail: all[0],
    instance: '',
    ...(status === 422 ? { errors: [{ field: fieldOf(all[0]), message: all[0] }] } : {}),
  };
  return applyDecorators(
    ApiExtraModels(ProblemDetailsDto),
    ApiResponse({
      status,
      description: markdownList(all),
      content: {
        'application/problem+json': {
          schema: { $ref: '#/components/schemas/ProblemDetailsDto' },
          example,
        },
      },
    }),
  );
};

/**
 * Summary (a short imperative line: "List drawings"), optional description, and the operation's own
 * error responses. 401/403 come with `@Authenticated()`/`@Roles()`; list what the handler itself answers.
 */
export const ApiEndpoint = (summary: string, options: { description?: string; errors?: ApiErrors } = {}) =>
  applyDecorators(
    ApiOperation({ summary, ...(options.description ? { description: options.description } : {}) }),
    ...Object.entries(options.errors ?? {}).map(([status, details]) =>
      ApiProblem(Number(status) as ApiErrorStatus, details),
    ),
  );

/**
 * What decorators cannot say: each problem example's `instance` is its operation's path (sample ids for
 * parameters), and an operation without a bearer requirement is `@Public()` (every route declares its
 * access; the RBAC matrix test checks that), which OpenAPI writes as `security: []`.
 */
export function completeOpenApiDocument(document: OpenAPIObject): void {
  for (const [path, item] of Object.entries(document.paths)) {
    const instance = path.replace(/\{[^}]+\}/g, '550e8400-e29b-41d4-a716-446655440000');
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (!operation) continue;
      operation.security ??= [];
      for (const response of Object.values(operation.responses ?? {})) {
        const media = (response as ResponseObject).content?.['application/problem+json'];
        // A copy: class-level decorators share one example object between operations.
        if (media?.example) media.example = { ...media.example, instance };
      }
    }
  }
}
