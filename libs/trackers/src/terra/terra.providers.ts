import { Injectable, Logger, OnApplicationShutdown, Provider as NestProvider } from '@nestjs/common';
import { type AppConfig, appConfig, Clock, SecretBox } from '@fittrack/core';
import { ConnectStateSigner } from '../connections.state';
import { FakeTerra } from './fake-terra';
import { TerraClient } from './terra.client';

/** Fake mode's credentials when none are configured: the in-process fake and our verifier share them. */
const FAKE_CREDENTIALS = {
  devId: 'fittrack-dev',
  apiKey: 'fake-terra-api-key',
  webhookSecret: 'fake-terra-webhook-secret',
};

/** Terra as this process talks to it: the endpoint, the webhook secret, and the in-process fake if any. */
@Injectable()
export class TerraRuntime implements OnApplicationShutdown {
  constructor(
    readonly devId: string,
    readonly apiKey: string,
    readonly webhookSecret: string,
    readonly baseUrl: string,
    readonly widgetUrl: string,
    /** The fake Terra started by this process (fake mode), or null. */
    readonly fake: FakeTerra | null,
  ) {}

  static async create(config: AppConfig, clock: Clock): Promise<TerraRuntime> {
    const { terra } = config;
    if (terra.mode === 'live') {
      return new TerraRuntime(
        terra.devId!,
        terra.apiKey!,
        terra.webhookSecret!,
        terra.baseUrl,
        terra.widgetUrl,
        null,
      );
    }
    const credentials = {
      devId: terra.devId ?? FAKE_CREDENTIALS.devId,
      apiKey: terra.apiKey ?? FAKE_CREDENTIALS.apiKey,
      webhookSecret: terra.webhookSecret ?? FAKE_CREDENTIALS.webhookSecret,
    };
    const fake = new FakeTerra({
      ...credentials,
      webhookUrl: `${config.publicBaseUrl.replace(/\/$/, '')}/api/v1/webhooks/terra`,
      now: () => clock.now(),
    });
    let base: string;
    try {
      base = await fake.listen(terra.fakePort);
    } catch (error) {
      // Another process of this deployment (API or worker) already runs the fake on the fixed port: share it.
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      base = `http://127.0.0.1:${terra.fakePort}`;
      new Logger('TerraRuntime').log(`Using the fake Terra already listening at ${base}`);
      return new TerraRuntime(
        credentials.devId,
        credentials.apiKey,
        credentials.webhookSecret,
        base,
        `${base}/widget/session`,
        null,
      );
    }
    new Logger('TerraRuntime').log(`Fake Terra (TERRA_MODE=fake) listening at ${base}`);
    return new TerraRuntime(
      credentials.devId,
      credentials.apiKey,
      credentials.webhookSecret,
      base,
      `${base}/widget/session`,
      fake,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.fake?.close();
  }
}

/** The Terra runtime, its client, the state signer and the secret box, built from the config. */
export const TERRA_PROVIDERS: NestProvider[] = [
  {
    provide: TerraRuntime,
    inject: [appConfig.KEY, Clock],
    useFactory: (config: AppConfig, clock: Clock) => TerraRuntime.create(config, clock),
  },
  {
    provide: TerraClient,
    inject: [appConfig.KEY, TerraRuntime],
    useFactory: (config: AppConfig, runtime: TerraRuntime) =>
      new TerraClient({
        baseUrl: runtime.baseUrl,
        widgetUrl: runtime.widgetUrl,
        devId: runtime.devId,
        apiKey: runtime.apiKey,
        timeoutMs: config.terra.timeoutMs,
      }),
  },
  {
    provide: ConnectStateSigner,
    inject: [SecretBox],
    useFactory: (box: SecretBox) => new ConnectStateSigner(box.stateKey()),
  },
];
