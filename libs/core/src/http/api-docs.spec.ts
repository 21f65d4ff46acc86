import { DECORATORS, type OpenAPIObject } from '@nestjs/swagger';
import { ApiEndpoint, completeOpenApiDocument } from './api-docs';

class Sample {
  @ApiEndpoint('Get a sample', {
    errors: { 404: 'Sample not found', 422: ['property nope should not exist'] },
  })
  getSample() {}
}

describe('ApiEndpoint', () => {
  const handler = Object.getOwnPropertyDescriptor(Sample.prototype, 'getSample')!.value as object;

  it('sets the summary', () => {
    expect(Reflect.getMetadata(DECORATORS.API_OPERATION, handler)).toMatchObject({ summary: 'Get a sample' });
  });

  it('documents each error as problem+json with its detail as the example', () => {
    const responses = Reflect.getMetadata(DECORATORS.API_RESPONSE, handler);
    expect(responses['404'].content['application/problem+json'].example).toMatchObject({
      status: 404,
      title: 'Not Found',
      detail: 'Sample not found',
    });
    expect(responses['422'].content['application/problem+json'].example).toMatchObject({
      detail: 'property nope should not exist',
      errors: [{ field: 'nope', message: 'property nope should not exist' }],
    });
  });
});

describe('completeOpenApiDocument', () => {
  it("fills each problem example's instance with its path and marks operations without a bearer public", () => {
    const shared = { example: { status: 404, instance: '' } };
    const document = {
      paths: {
        '/things/{id}': {
          get: {
            security: [{ bearer: [] }],
            responses: { 404: { content: { 'application/problem+json': shared } } },
          },
          delete: { responses: { 404: { content: { 'application/problem+json': shared } } } },
        },
      },
    } as unknown as OpenAPIObject;
    completeOpenApiDocument(document);
    const item = document.paths['/things/{id}'];
    const instanceOf = (op: 'get' | 'delete') =>
      (item[op]!.responses['404'] as { content: Record<string, { example: { instance: string } }> }).content[
        'application/problem+json'
      ].example.instance;
    expect(instanceOf('get')).toBe('/things/550e8400-e29b-41d4-a716-446655440000');
    expect(instanceOf('delete')).toBe('/things/550e8400-e29b-41d4-a716-446655440000');
    expect(item.get!.security).toEqual([{ bearer: [] }]);
    expect(item.delete!.security).toEqual([]);
  });
});
