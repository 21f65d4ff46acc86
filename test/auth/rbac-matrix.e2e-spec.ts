import { RequestMethod } from '@nestjs/common';
import { PATH_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AUTHENTICATED, IS_PUBLIC, ROLES } from '@fittrack/core';
import { createUserWithToken, type UserWithToken } from '../support/api-client';
import { type IsolatedDatabase, isolatedDatabase } from '../support/isolated-database';
import { createTestApp, TestApp, withEnv } from '../support/test-app';

/** Paths served outside the `/api/v1` prefix (init-app.ts). */
const UNPREFIXED = ['health', 'health/live', 'health/ready'];

type Access = 'public' | 'authenticated' | { roles: string[] };
interface Route {
  method: string;
  path: string;
  access: Access | undefined;
  name: string;
}

/** Every controller route of the running app, with its declared access decision. */
function routeTable(t: TestApp): Route[] {
  const reflector = t.app.get(Reflector);
  const scanner = t.app.get(MetadataScanner);
  const routes: Route[] = [];
  for (const wrapper of t.app.get(DiscoveryService).getControllers()) {
    const { instance, metatype } = wrapper;
    if (!instance || !metatype) continue;
    const prototype = Object.getPrototypeOf(instance);
    const base = ([] as string[]).concat(Reflect.getMetadata(PATH_METADATA, metatype) ?? '')[0];
    for (const methodName of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[methodName];
      const requestMethod: RequestMethod | undefined = Reflect.getMetadata(METHOD_METADATA, handler);
      if (requestMethod === undefined) continue;
      const own = ([] as string[]).concat(Reflect.getMetadata(PATH_METADATA, handler) ?? '')[0];
      const joined = [base, own]
        .map((p) => p.replace(/^\/|\/$/g, ''))
        .filter(Boolean)
        .join('/');
      const path = UNPREFIXED.includes(joined) ? `/${joined}` : `/api/v1/${joined}`;
      const targets = [handler, metatype];
      const roles = reflector.getAllAndOverride<string[] | undefined>(ROLES, targets);
      const access: Access | undefined = reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)
        ? 'public'
        : roles?.length
          ? { roles }
          : reflector.getAllAndOverride<boolean>(AUTHENTICATED, targets)
            ? 'authenticated'
            : undefined;
      routes.push({
        method: RequestMethod[requestMethod],
        path,
        access,
        name: `${metatype.name}.${methodName}`,
      });
    }
  }
  return routes;
}

// One request per route and role, each with a fresh user: the whole table takes longer than Jest's 5 s.
jest.setTimeout(60_000);

const SAMPLE_ID = '550e8400-e29b-41d4-a716-446655440000';
const concrete = (path: string) => path.replace(/:[A-Za-z_]+/g, SAMPLE_ID);

/** The guard's own answers; a handler may still answer 401/403 for its own reasons (e.g. a bad refresh token). */
const GUARD_DETAILS = [
  'Authentication required',
  'Invalid token',
  'Token expired',
  'Insufficient permissions',
];
const blockedByGuard = (res: { status: number; body: { detail?: string } }) =>
  (res.status === 401 || res.status === 403) && GUARD_DETAILS.includes(res.body.detail ?? '');

// The matrix calls every route as admin, POST /admin/reset included, which drops and reseeds the
// database: on PostgreSQL it runs on a database of its own so the suites sharing DATABASE_URL keep their data.
describe('RBAC matrix over the app route table', () => {
  let t: TestApp;
  let routes: Route[];
  let database: IsolatedDatabase;
  beforeAll(async () => {
    database = await isolatedDatabase('rbac');
    t = await withEnv(database.env, () => createTestApp());
    routes = routeTable(t);
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });

  if (process.env.TEST_DB === 'postgres') {
    it('runs on a database no other suite uses (POST /admin/reset wipes it)', async () => {
      const [{ name }] = await t.app.get(DataSource).query('SELECT current_database() AS name');
      expect(name).not.toBe(new URL(process.env.DATABASE_URL!).pathname.slice(1));
    });
  }

  const call = (route: Route, who?: UserWithToken) => {
    const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    const req = t.http()[method](concrete(route.path));
    return who ? who.auth(req) : req;
  };

  it('finds the routes (sanity)', () => {
    expect(routes.length).toBeGreaterThan(10);
    expect(routes).toContainEqual(expect.objectContaining({ method: 'GET', path: '/api/v1/users/me' }));
    expect(routes).toContainEqual(
      expect.objectContaining({ method: 'POST', path: '/api/v1/auth/login', access: 'public' }),
    );
  });

  it('every route declares its access (public, roles, or authenticated)', () => {
    const undecided = routes
      .filter((r) => r.access === undefined)
      .map((r) => `${r.method} ${r.path} (${r.name})`);
    expect(undecided).toEqual([]);
  });

  it('anonymous: 401 Authentication required everywhere except public routes', async () => {
    for (const route of routes) {
      const res = await call(route);
      if (route.access === 'public') {
        expect([route.name, blockedByGuard(res)]).toEqual([route.name, false]);
      } else {
        expect([route.name, res.status, res.body.detail]).toEqual([
          route.name,
          401,
          'Authentication required',
        ]);
      }
    }
  });

  it("role 'user': 403 Insufficient permissions on role-restricted routes, never 401", async () => {
    for (const route of routes) {
      // A fresh session per call: logout and password change end the caller's session.
      const user = await createUserWithToken(t, { role: 'user' });
      const res = await call(route, user);
      const restricted = typeof route.access === 'object' && !route.access.roles.includes('user');
      if (restricted) {
        expect([route.name, res.status, res.body.detail]).toEqual([
          route.name,
          403,
          'Insufficient permissions',
        ]);
      } else {
        expect([route.name, blockedByGuard(res)]).toEqual([route.name, false]);
      }
    }
  });

  it("role 'admin': never 401 or 403", async () => {
    for (const route of routes) {
      const admin = await createUserWithToken(t, { role: 'admin' });
      const res = await call(route, admin);
      expect([route.name, blockedByGuard(res)]).toEqual([route.name, false]);
    }
  });
});
