import { Test, type TestingModule } from '@nestjs/testing';
import { type AppConfig, appConfig, CoreModule, dataSourceOptions } from '@fittrack/core';
import { DOMAIN_MODULES } from '../../apps/api/src/domain-modules';
import { MIGRATIONS } from '../../migrations';
import { OracleStandIn } from './oracledb-stand-in';

/** @nestjs/typeorm's options token (TYPEORM_MODULE_OPTIONS; its package exports do not reach the constant). */
const TYPEORM_MODULE_OPTIONS = 'TypeOrmModuleOptions';

/**
 * The app's own modules (core + every domain module the API loads) on the app's own Oracle DataSource
 * options, with the recording stand-in as the `oracledb` driver. Nothing else differs from production.
 */
export async function bootOnStandIn(standIn: OracleStandIn): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({
    imports: [CoreModule.forRoot({ role: 'cli', migrations: MIGRATIONS }), ...DOMAIN_MODULES],
  })
    .overrideProvider(TYPEORM_MODULE_OPTIONS)
    .useFactory({
      inject: [appConfig.KEY],
      factory: (config: AppConfig) => ({
        ...dataSourceOptions(config, MIGRATIONS),
        autoLoadEntities: true,
        driver: standIn.driver,
      }),
    })
    .compile();
  await moduleRef.init();
  return moduleRef;
}
