// Suites boot whole apps in their hooks (e2e: migrated databases; Redis: apps and workers; the Oracle tour
// walks every repository method); on a busy 2-core machine that alone can pass Jest's 5 s default, which
// then fails a hook rather than a behaviour.
jest.setTimeout(30_000);
