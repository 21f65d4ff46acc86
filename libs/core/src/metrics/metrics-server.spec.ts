import type { AddressInfo } from 'node:net';
import { parseConfig } from '../config/app-config';
import { Metrics } from './metrics';
import { MetricsServer } from './metrics-server';

/** The listener's life cycle on a real port; the worker redis-spec covers what it serves. */
describe('MetricsServer', () => {
  const start = async (env: Record<string, string>) => {
    const server = new MetricsServer(new Metrics(), parseConfig({ HOST: '127.0.0.1', ...env }));
    await server.onApplicationBootstrap();
    return server;
  };
  const portOf = (server: MetricsServer) =>
    ((server as unknown as { server?: { address(): AddressInfo } }).server?.address() as AddressInfo)?.port;

  it('does not listen when WORKER_METRICS_PORT is unset', async () => {
    const server = await start({});
    expect(portOf(server)).toBeUndefined();
    await server.onApplicationShutdown();
  });

  it('serves until shutdown, then refuses connections (a keep-alive connection does not hold it open)', async () => {
    // A port taken by another process fails the boot; try the next one.
    let server: MetricsServer | undefined;
    let port = 40_000 + Math.floor(Math.random() * 20_000);
    while (!server) server = await start({ WORKER_METRICS_PORT: String(port++) }).catch(() => undefined);
    expect(portOf(server)).toBe(port - 1);
    const url = `http://127.0.0.1:${port - 1}`;
    const res = await fetch(`${url}/metrics`, { headers: { connection: 'keep-alive' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('# TYPE jobs_total counter');
    await server.onApplicationShutdown();
    await expect(fetch(`${url}/health/live`)).rejects.toThrow();
  });
});
