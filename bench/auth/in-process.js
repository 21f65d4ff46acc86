// The app's own CPU per GET /users/me, two builds compared on the same load (docs/benchmarks.md, Auth):
// `node bench/auth/in-process.js <rootA> <rootB> [batches=60] [size=200]`, each root a checkout with a
// built dist/ (e.g. `git worktree add /tmp/a <commit>`, node_modules linked, `npx nest build api`). Each
// build boots in its own process on a temporary SQLite file; requests are injected into its Express app
// through mock sockets (no HTTP parser, no socket writes), 8 in flight, in batches that alternate between
// the builds (ABBA…), so a change in the shared machine's load hits both alike. Prints each side's median
// CPU µs per request and B/A as the geometric mean of the batches' ratios. Same root twice = the noise.
const { fork } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, resolve } = require('node:path');
const { Duplex } = require('node:stream');
const http = require('node:http');

const IN_FLIGHT = 8;
const PASSWORD = 'Bench-Passw0rd!2026';

/** A socket that takes whatever the response writes. */
class NullSocket extends Duplex {
  remoteAddress = '127.0.0.1';
  _read() {}
  _write(_chunk, _encoding, done) {
    done();
  }
  setTimeout() {}
  setNoDelay() {}
  setKeepAlive() {}
}

/** One request through the Express app; resolves with the status and the body once the response ends. */
function inject(app, { method = 'GET', url, headers = {}, body }) {
  return new Promise((done, fail) => {
    const socket = new NullSocket();
    const req = new http.IncomingMessage(socket);
    const raw = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    Object.assign(req, { method, url, httpVersion: '1.1', httpVersionMajor: 1, httpVersionMinor: 1 });
    const all = { host: '127.0.0.1', ...headers };
    if (raw) Object.assign(all, { 'content-type': 'application/json', 'content-length': String(raw.length) });
    for (const [name, value] of Object.entries(all)) {
      req.headers[name] = value;
      req.rawHeaders.push(name, value);
    }
    if (raw) req.push(raw);
    req.push(null);
    req.complete = true;
    const res = new http.ServerResponse(req);
    res.assignSocket(socket);
    const chunks = [];
    socket._write = (chunk, _encoding, next) => next(null, chunks.push(chunk));
    res.on('finish', () => {
      res.detachSocket(socket);
      const text = Buffer.concat(chunks).toString();
      done({ status: res.statusCode, body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
    res.on('error', fail);
    app(req, res);
  });
}

/** Child: boots the build at `root`, signs a user in, then serves batches on command. */
async function child(root) {
  const dir = mkdtempSync(join(tmpdir(), 'fittrack-bench-inproc-'));
  Object.assign(process.env, {
    NODE_ENV: 'development',
    DB_TYPE: 'sqlite',
    SQLITE_PATH: join(dir, 'db.sqlite'),
    SEED_ON_EMPTY: 'false',
    BCRYPT_COST: '4',
    RATE_LIMIT_PER_MINUTE: '1000000',
    JWT_KEY_DIR: join(dir, 'keys'),
    LOG_LEVEL: 'warn',
    REDIS_URL: '',
    QUEUE_PREFIX: `bench-inproc-${process.pid}`,
    SMTP_URL: '',
  });
  const { NestFactory } = require(join(root, 'node_modules/@nestjs/core'));
  const { AppModule } = require(join(root, 'dist/apps/api/src/app.module.js'));
  const { initApp } = require(join(root, 'dist/apps/api/src/init-app.js'));
  const nest = await NestFactory.create(AppModule, { logger: ['error', 'warn'], bufferLogs: true });
  await initApp(nest);
  const app = nest.getHttpAdapter().getInstance();
  const email = `inproc-${Date.now()}@example.com`;
  const body = { email, password: PASSWORD, date_of_birth: '1990-01-01', state: 'TX' };
  const registered = await inject(app, { method: 'POST', url: '/api/v1/auth/register', body });
  if (registered.status !== 201) throw new Error(`register: ${registered.status} ${registered.body}`);
  const Database = require(join(root, 'node_modules/better-sqlite3'));
  const db = new Database(process.env.SQLITE_PATH);
  db.prepare("UPDATE users SET status = 'active', email_verified = 1 WHERE email = ?").run(email);
  db.close();
  const login = await inject(app, {
    method: 'POST',
    url: '/api/v1/auth/login',
    body: { email, password: PASSWORD },
  });
  const me = {
    url: '/api/v1/users/me',
    headers: { authorization: `Bearer ${JSON.parse(login.body).access_token}` },
  };
  const batch = async (size) => {
    const start = process.cpuUsage();
    let sent = 0;
    const worker = async () => {
      while (sent < size) {
        sent += 1;
        const { status } = await inject(app, me);
        if (status !== 200) throw new Error(`GET /users/me: ${status}`);
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    const used = process.cpuUsage(start);
    return (used.user + used.system) / size;
  };
  await batch(3000); // warm-up: the JIT compiles the path first
  process.on('message', async (message) => {
    if (message.size) return process.send({ us: await batch(message.size) });
    await nest.close();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
  process.send({ ready: true });
}

async function parent([rootA, rootB, batches = '60', size = '200']) {
  const start = (root) =>
    new Promise((ready, fail) => {
      const proc = fork(__filename, ['--child', resolve(root)], {
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      });
      proc.once('message', () => ready(proc));
      proc.once('exit', (code) => fail(new Error(`${root} exited with ${code}`)));
    });
  const ask = (proc) =>
    new Promise((answer) => {
      proc.once('message', (message) => answer(message.us));
      proc.send({ size: Number(size) });
    });
  const a = await start(rootA);
  const b = await start(rootB);
  const usA = [];
  const usB = [];
  for (let i = 0; i < Number(batches); i++) {
    const order = i % 2 ? [b, a] : [a, b];
    for (const proc of order) (proc === a ? usA : usB).push(await ask(proc));
  }
  for (const proc of [a, b]) proc.removeAllListeners('exit').send({ stop: true });
  const median = (values) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
  const logRatios = usA.map((us, i) => Math.log(usB[i] / us));
  const ratio = Math.exp(logRatios.reduce((sum, r) => sum + r, 0) / logRatios.length);
  console.log(
    `CPU µs per GET /users/me in the app: A ${median(usA).toFixed(0)}, B ${median(usB).toFixed(0)} (medians); ` +
      `B/A ${ratio.toFixed(3)} (geometric mean of ${batches} batch pairs); load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
  );
}

const args = process.argv.slice(2);
(args[0] === '--child' ? child(args[1]) : parent(args)).catch((error) => {
  console.error(error);
  process.exit(1);
});
