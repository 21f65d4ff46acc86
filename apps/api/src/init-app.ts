import { INestApplication, NestInterceptor } from '@nestjs/common';
import { ApplicationConfig } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import {
  AppConfig,
  appConfig,
  completeOpenApiDocument,
  bodyGuard,
  createValidationPipe,
  HTTP_LOGGER,
  httpMetrics,
  Metrics,
  ProblemDetailsFilter,
  requestId,
  sendProblem,
} from '@fittrack/core';
import cookieParser from 'cookie-parser';
import express from 'express';
import helmet from 'helmet';
import { Logger as PinoLogger } from 'nestjs-pino';
import type { HttpLogger } from 'pino-http';
import { join } from 'node:path';
import { prepareDatabase } from './prepare-database';

/** The repository root, from both `dist/apps/api/src` and `apps/api/src`. */
export const ROOT = join(
  __dirname,
  __dirname.includes(`${join('dist', 'apps')}`) ? '../../../..' : '../../..',
);

/**
 * Everything main.ts and the e2e tests share, so tests exercise the app exactly as it is served:
 * middleware, the database (migrations, seeding), then initialisation; the app is ready to listen.
 */
export async function initApp(app: NestExpressApplication): Promise<AppConfig> {
  const config = app.get<AppConfig>(appConfig.KEY);
  app.set('query parser', 'extended');
  app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');
  app.useLogger(app.get(PinoLogger));
  // One Express layer for the four that every request runs, in this order (see chain()).
  app.use(
    chain(requestId, app.get<HttpLogger>(HTTP_LOGGER), httpMetrics(app.get(Metrics)), securityHeaders()),
  );
  app.enableCors({ origin: config.corsOrigins, credentials: true });
  // Only the auth routes read a cookie (the refresh token's, scoped to them).
  app.use('/api/v1/auth', cookieParser());
  // Terra signs the exact bytes of its webhooks: that route keeps its body raw (a Buffer), and the JSON
  // parser below then leaves it alone.
  app.use('/api/v1/webhooks/terra', express.raw({ type: () => true, limit: '5mb' }));
  // JSON bodies up to 1 MB (413 past it), then the body guard on what was parsed.
  app.useBodyParser('json', { limit: '1mb' });
  app.use(chain(bodyGuard, testPageRedirect(config)));
  app.setGlobalPrefix('api/v1', { exclude: ['health', 'health/live', 'health/ready', 'metrics'] });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  serveTestPage(app, config);
  setupSwagger(app);
  app.enableShutdownHooks();
  await prepareDatabase(app);
  dropNoOpInterceptors(app);
  await app.init();
  // Nest answers unknown routes under the global prefix only; everything else ends here, not in
  // Express's HTML page.
  app.use((req: express.Request, res: express.Response) =>
    sendProblem(req, res, 404, `Cannot ${req.method} ${req.path}`),
  );
  return config;
}

/**
 * Middlewares run as one Express layer, in order, each one's `next` calling the next one directly; an
 * error (passed, thrown or a rejected promise) goes to Express's `next(error)` as from its own layer. Express's
 * router costs about as much per layer as a cheap middleware itself (matching, params, its next()):
 * ~0.7 % of an authenticated read's CPU per layer saved (docs/benchmarks.md, Auth).
 */
function chain(...middlewares: express.RequestHandler[]): express.RequestHandler {
  return function chained(req, res, next) {
    let index = 0;
    const step = (error?: unknown): void => {
      if (error) return next(error);
      const middleware = middlewares[index++];
      if (!middleware) return next();
      try {
        const result: unknown = middleware(req, res, step);
        if (result instanceof Promise) result.catch(next);
      } catch (thrown) {
        next(thrown);
      }
    };
    step();
  };
}

/**
 * nestjs-cls registers a global interceptor even when it is not mounted (ours: CLS serves transactions,
 * not requests), one that only calls `next.handle()`. Any global interceptor sends every request through
 * Nest's RxJS pipeline (defer, mergeAll, lastValueFrom, a client-disconnect watch): ~10 % of an
 * authenticated read's CPU (docs/benchmarks.md). Routes bind their interceptors in `app.init()`, so the
 * no-op is dropped before it; every other global interceptor stays.
 */
function dropNoOpInterceptors(app: NestExpressApplication): void {
  // NestApplication keeps its ApplicationConfig private; getGlobalInterceptors() is its live list.
  const interceptors = (app as unknown as { config: ApplicationConfig }).config.getGlobalInterceptors();
  const kept = interceptors.filter((interceptor) => !isClsNoOp(interceptor));
  interceptors.splice(0, interceptors.length, ...kept);
}

/** nestjs-cls's unmounted interceptor: a plain object whose only key is `intercept`. */
function isClsNoOp(interceptor: NestInterceptor): boolean {
  return (
    Object.getPrototypeOf(interceptor) === Object.prototype && Object.keys(interceptor).join() === 'intercept'
  );
}

/**
 * Helmet on every response: X-Frame-Options DENY and a CSP of `default-src 'self'` (no inline scripts or
 * styles: the test page has none). Swagger UI's page carries a small inline <style>, so /docs alone may
 * also apply inline styles; scripts stay 'self' there too.
 */
function securityHeaders() {
  const directives = {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    frameAncestors: ["'none'"],
    // TLS ends at the proxy (docs/deployment.md); HSTS covers the upgrade.
    upgradeInsecureRequests: null,
  };
  const strict = fixedHeaders(
    helmet({ contentSecurityPolicy: { directives }, frameguard: { action: 'deny' } }),
  );
  const docs = fixedHeaders(
    helmet({
      contentSecurityPolicy: { directives: { ...directives, styleSrc: ["'self'", "'unsafe-inline'"] } },
      frameguard: { action: 'deny' },
    }),
  );
  return (req: express.Request, res: express.Response, next: express.NextFunction) => {
    const headers = /^\/docs(\/|$)/.test(req.path) ? docs : strict;
    for (const [name, value] of headers) res.setHeader(name, value);
    res.removeHeader('X-Powered-By');
    next();
  };
}

/**
 * The headers a helmet middleware sets, recorded once at startup: with a fixed configuration (no
 * per-request directive functions such as nonces) they are the same on every response, and replaying
 * them costs a fraction of running helmet's dozen middlewares per request. Anything but setting
 * headers and removing X-Powered-By fails here, at startup.
 */
function fixedHeaders(middleware: ReturnType<typeof helmet>): Array<[string, string]> {
  const headers: Array<[string, string]> = [];
  const recorder = {
    setHeader: (name: string, value: unknown) => headers.push([name, String(value)]),
    removeHeader: (name: string) => {
      if (name.toLowerCase() !== 'x-powered-by') throw new Error(`helmet removed ${name}`);
    },
  };
  let called = false;
  middleware({} as express.Request, recorder as unknown as express.Response, (error?: unknown) => {
    if (error) throw error;
    called = true;
  });
  if (!called) throw new Error('helmet did not finish synchronously');
  return headers;
}

/** The test page's relative URLs (css/, js/) need the trailing slash. */
function testPageRedirect(config: AppConfig): express.RequestHandler {
  return (req, res, next) => {
    if (!config.features.htmlTestPage || req.path !== '/test') return next();
    const queryAt = req.originalUrl.indexOf('?');
    res.redirect(301, `/test/${queryAt >= 0 ? req.originalUrl.slice(queryAt) : ''}`);
  };
}

function serveTestPage(app: NestExpressApplication, config: AppConfig): void {
  if (!config.features.htmlTestPage) return;
  app.use('/test/vendor/prism', express.static(join(ROOT, 'node_modules/prismjs')));
  app.use('/test', express.static(join(ROOT, 'apps/api/public/test'), { index: 'index.html' }));
}

export function buildOpenApiDocument(app: INestApplication) {
  const document = new DocumentBuilder()
    .setTitle('FitTrack API')
    .setDescription(
      'Physical activity earns points; points buy sweepstakes tickets. Errors are RFC 7807 problem+json; ' +
        'lists take `page`, `per_page` (max 100), `sort` and `filter[field]`; a page past the last ' +
        'answers an empty `data` with the true `meta`.',
    )
    .setVersion('1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .build();
  // Operation ids are the handlers' names (`listDrawings`), which generated clients use as method names.
  const openApi = SwaggerModule.createDocument(app, document, {
    operationIdFactory: (_controller: string, method: string) => method,
  });
  completeOpenApiDocument(openApi);
  return openApi;
}

function setupSwagger(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
}
