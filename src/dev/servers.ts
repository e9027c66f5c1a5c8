/**
 * Real-server test bed: spawns a private redis-server and a private Prosody on
 * free loopback ports. No vitest imports, so scripts (e.g. the demo) can reuse it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants, openSync, closeSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer, connect, type Socket } from 'node:net';
import { delimiter, join } from 'node:path';

export const MISSING_SERVERS_MESSAGE =
  'prosody is not installed: run `apt-get install -y prosody redis-server` (as root) or `npm test` as root';

export interface RunningRedis {
  port: number;
  stop(): Promise<void>;
}

export interface RunningProsody {
  c2sPort: number;
  componentPort: number;
  /** Path of the generated prosody config file. */
  configFile: string;
  /** Path of the prosody log file. */
  logFile: string;
  stop(): Promise<void>;
}

export interface ProsodyOptions {
  dir: string;
  components: { jid: string; secret: string }[];
  users: { user: string; host: string; password: string }[];
  /** Prosody log level written to DIR/prosody.log (default "info"). */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /**
   * `false`: TCP_NODELAY on Prosody's sockets (`network_settings = { nagle = false }`). The bench sets it: with
   * Nagle, a component that answers within microseconds has a quarter of its answers held 40 ms for a delayed ACK.
   */
  nagle?: boolean;
}

// ---------------------------------------------------------------------------
// Child-process bookkeeping: nothing may outlive the parent.
// ---------------------------------------------------------------------------

const children = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of children) {
      try {
        child.kill('SIGKILL');
      } catch {
        /* already gone */
      }
    }
  });
}

/**
 * A detached shell that kills `childPid` when `process.pid` disappears (covers a
 * parent killed by SIGKILL/SIGTERM, where no 'exit' handler runs). It ends by
 * itself as soon as the child is gone.
 */
function spawnWatchdog(childPid: number): void {
  const script =
    `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${childPid} 2>/dev/null; do sleep 1; done; ` +
    `if kill -0 ${childPid} 2>/dev/null; then kill -TERM ${childPid} 2>/dev/null; sleep 3; kill -KILL ${childPid} 2>/dev/null; fi`;
  try {
    const dog = spawn('/bin/sh', ['-c', script], { stdio: 'ignore', detached: true });
    dog.on('error', () => {});
    dog.unref();
  } catch {
    /* best effort */
  }
}

function track(child: ChildProcess): void {
  installExitHook();
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (child.pid !== undefined) spawnWatchdog(child.pid);
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
function killAndWait(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    children.delete(child);
    return Promise.resolve();
  }
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      try {
        child.kill('SIGKILL');
      } catch {
        /* gone */
      }
    }, graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      children.delete(child);
      resolve();
    });
    try {
      child.kill('SIGTERM');
    } catch {
      /* gone */
    }
  });
}

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

export function findBinary(name: string): string | undefined {
  const dirs = (process.env.PATH ?? '').split(delimiter).concat(['/usr/bin', '/usr/sbin', '/usr/local/bin']);
  for (const d of dirs) {
    if (!d) continue;
    const p = join(d, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return undefined;
}

function requireBinary(name: string): string {
  const p = findBinary(name);
  if (!p) throw new Error(MISSING_SERVERS_MESSAGE);
  return p;
}

/** A port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      if (addr === null || typeof addr === 'string') {
        srv.close();
        reject(new Error('freePort: could not determine port'));
        return;
      }
      const { port } = addr;
      srv.close((err) => (err ? reject(err) : resolve(port)));
    });
  });
}

/** Distinct free ports (freePort() may hand out the same port twice in a row). */
async function freePorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** End a probe's socket for good (a late error must not throw) and report the result. */
function finish(sock: Socket, ok: boolean, resolve: (ok: boolean) => void): void {
  sock.removeAllListeners();
  sock.on('error', () => {});
  sock.destroy();
  resolve(ok);
}

/** One TCP probe: resolves true if the port accepts a connection. */
function tcpProbe(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => finish(sock, ok, resolve);
    sock.setTimeout(1000, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

/** One Redis PING over a raw socket. */
function redisPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: '127.0.0.1', port });
    let buf = '';
    const done = (ok: boolean) => finish(sock, ok, resolve);
    sock.setTimeout(1000, () => done(false));
    sock.once('connect', () => sock.write('PING\r\n'));
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      if (buf.includes('\r\n')) done(buf.startsWith('+PONG'));
    });
    sock.once('error', () => done(false));
  });
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Polls `ready()` until true, failing early if the child exits.
 */
async function waitUntil(
  child: ChildProcess,
  what: string,
  ready: () => Promise<boolean>,
  logFile: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `${what} exited during startup (code ${child.exitCode}, signal ${child.signalCode}); log ${logFile}:\n${tail(logFile)}`,
      );
    }
    if (await ready()) return;
    if (Date.now() > deadline) {
      await killAndWait(child);
      throw new Error(`${what} did not become ready within ${timeoutMs} ms; log ${logFile}:\n${tail(logFile)}`);
    }
    await sleep(50);
  }
}

function spawnLogged(bin: string, args: string[], logFile: string): ChildProcess {
  const fd = openSync(logFile, 'a');
  try {
    const child = spawn(bin, args, { stdio: ['ignore', fd, fd] });
    child.on('error', () => {}); // surfaced through exitCode / readiness timeout
    track(child);
    return child;
  } finally {
    closeSync(fd); // the child holds its own copy
  }
}

// ---------------------------------------------------------------------------
// Redis
// ---------------------------------------------------------------------------

/** Start redis-server on a free port, or on `fixedPort` (one try), e.g. to restart it where clients expect it. */
/** A redis-server on a free port (or `fixedPort`); `extraArgs` e.g. `--replicaof 127.0.0.1 PORT`. */
export async function startRedis(dir: string, fixedPort?: number, extraArgs: readonly string[] = []): Promise<RunningRedis> {
  const bin = requireBinary('redis-server');
  requireBinary('prosody'); // one clear message for the whole bed
  mkdirSync(dir, { recursive: true });
  let lastErr: unknown;
  for (let attempt = 0; attempt < (fixedPort ? 1 : 3); attempt++) {
    const port = fixedPort ?? (await freePort());
    const logFile = join(dir, `redis-${port}.log`);
    const child = spawnLogged(
      bin,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
        '--protected-mode',
        'no',
        '--daemonize',
        'no',
        '--databases',
        '16',
        '--logfile',
        '',
        ...extraArgs,
      ],
      logFile,
    );
    try {
      await waitUntil(child, `redis-server on port ${port}`, () => redisPing(port), logFile, 10_000);
      return { port, stop: () => killAndWait(child) };
    } catch (err) {
      lastErr = err; // most likely a port race: try another port
      await killAndWait(child);
    }
  }
  throw lastErr;
}

/**
 * A Redis Sentinel (Debian's redis-sentinel) watching the primary at `primaryPort` as `name`, on a free
 * loopback port, quorum 1, deciding a primary is down after `downAfterMs`.
 */
export async function startSentinel(dir: string, name: string, primaryPort: number, downAfterMs = 1000): Promise<RunningRedis> {
  const bin = findBinary('redis-sentinel');
  if (!bin) throw new Error('redis-sentinel is not installed: apt-get install -y redis-sentinel');
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const configFile = join(dir, `sentinel-${port}.conf`);
  const logFile = join(dir, `sentinel-${port}.log`);
  // Sentinel rewrites its config file as it learns: it must be its own, and writable.
  writeFileSync(
    configFile,
    [
      `port ${port}`,
      'bind 127.0.0.1',
      'protected-mode no',
      `dir ${dir}`,
      `sentinel monitor ${name} 127.0.0.1 ${primaryPort} 1`,
      `sentinel down-after-milliseconds ${name} ${downAfterMs}`,
      `sentinel failover-timeout ${name} 5000`,
      `sentinel parallel-syncs ${name} 1`,
      '',
    ].join('\n'),
  );
  const child = spawnLogged(bin, [configFile], logFile);
  await waitUntil(child, `redis-sentinel on port ${port}`, () => redisPing(port), logFile, 10_000);
  return { port, stop: () => killAndWait(child) };
}

// ---------------------------------------------------------------------------
// Prosody
// ---------------------------------------------------------------------------

const lua = (s: string) => JSON.stringify(s); // a JSON string literal is a valid Lua string literal for our inputs

function prosodyConfig(o: {
  dir: string;
  dataPath: string;
  logFile: string;
  logLevel: string;
  c2sPort: number;
  componentPort: number;
  components: { jid: string; secret: string }[];
  nagle?: boolean;
}): string {
  const lines = [
    '-- generated by src/dev/servers.ts',
    'run_as_root = true',
    'daemonize = false',
    `pidfile = ${lua(join(o.dir, 'prosody.pid'))}`,
    `data_path = ${lua(o.dataPath)}`,
    `log = { { levels = { min = ${lua(o.logLevel)} }, to = "file", filename = ${lua(o.logFile)} } }`,
    'gc = { mode = "generational" }',
    ...(o.nagle === false ? ['network_settings = { nagle = false }'] : []),
    '',
    'interfaces = { "127.0.0.1" }',
    'local_interfaces = { "127.0.0.1" }',
    `c2s_ports = { ${o.c2sPort} }`,
    'c2s_interfaces = { "127.0.0.1" }',
    'c2s_direct_tls_ports = {}',
    `component_ports = { ${o.componentPort} }`,
    'component_interfaces = { "127.0.0.1" }',
    's2s_ports = {}',
    's2s_direct_tls_ports = {}',
    'http_ports = {}',
    'https_ports = {}',
    '',
    'modules_enabled = { "roster", "saslauth", "disco", "ping", "time", "version", "uptime" }',
    'modules_disabled = { "s2s", "s2s_auth_certs", "tls" }',
    'c2s_require_encryption = false',
    's2s_require_encryption = false',
    'allow_unencrypted_plain_auth = true',
    'allow_registration = false',
    'storage = "internal"',
    '',
    'VirtualHost "localhost"',
    '  authentication = "internal_hashed"',
    '',
    'VirtualHost "anon.localhost"',
    '  authentication = "anonymous"',
    '',
  ];
  for (const c of o.components) {
    lines.push(`Component ${lua(c.jid)}`, `  component_secret = ${lua(c.secret)}`, '');
  }
  return lines.join('\n');
}

function registerUser(prosodyctl: string, configFile: string, u: { user: string; host: string; password: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(prosodyctl, ['--config', configFile, 'register', u.user, u.host, u.password], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout?.on('data', (d) => (out += String(d)));
    child.stderr?.on('data', (d) => (out += String(d)));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`prosodyctl register ${u.user}@${u.host} failed (exit ${code}): ${out.trim()}`));
    });
  });
}

export async function startProsody(opts: ProsodyOptions): Promise<RunningProsody> {
  const bin = requireBinary('prosody');
  const prosodyctl = requireBinary('prosodyctl');
  requireBinary('redis-server');
  const { dir } = opts;
  const dataPath = join(dir, 'prosody-data');
  mkdirSync(dataPath, { recursive: true });
  mkdirSync(join(dir, 'certs'), { recursive: true }); // prosody indexes <config dir>/certs at startup
  const configFile = join(dir, 'prosody.cfg.lua');
  const logFile = join(dir, 'prosody.log');

  let lastErr: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const [c2sPort, componentPort] = (await freePorts(2)) as [number, number];
    writeFileSync(
      configFile,
      prosodyConfig({
        dir,
        dataPath,
        logFile,
        logLevel: opts.logLevel ?? 'info',
        c2sPort,
        componentPort,
        components: opts.components,
        ...(opts.nagle === false ? { nagle: false } : {}),
      }),
    );
    if (attempt === 0) {
      await Promise.all(opts.users.map((u) => registerUser(prosodyctl, configFile, u)));
    }
    const child = spawnLogged(bin, ['-F', '--config', configFile], logFile);
    try {
      await waitUntil(
        child,
        `prosody (c2s ${c2sPort}, component ${componentPort})`,
        // Prosody opens the component port only when at least one Component is defined.
        async () => (await tcpProbe(c2sPort)) && (opts.components.length === 0 || (await tcpProbe(componentPort))),
        logFile,
        15_000,
      );
      return { c2sPort, componentPort, configFile, logFile, stop: () => killAndWait(child) };
    } catch (err) {
      lastErr = err;
      await killAndWait(child);
    }
  }
  throw lastErr;
}

// ---------------------------------------------------------------------------
// ejabberd (Debian 23.01), for several bot processes on one component domain
// ---------------------------------------------------------------------------

export interface RunningEjabberd {
  c2sPort: number;
  componentPort: number;
  logFile: string;
  stop(): Promise<void>;
}

export interface EjabberdOptions {
  dir: string;
  /** Component domains and their secrets. */
  components: { jid: string; secret: string }[];
  /** Users of vhost `localhost`, registered at start (letters and digits only: they go into Erlang literals). */
  users: { user: string; password: string }[];
}

/** Where Debian keeps ejabberd's Erlang applications (`/usr/lib/<arch>/ejabberd-23.01`), if installed. */
function ejabberdLibs(): string | undefined {
  for (const base of ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib']) {
    try {
      if (readdirSync(base).some((n) => /^ejabberd-\d/.test(n))) return base;
    } catch {
      /* no such directory */
    }
  }
  return undefined;
}

export function ejabberdInstalled(): boolean {
  return findBinary('erl') !== undefined && ejabberdLibs() !== undefined;
}

/**
 * A private ejabberd in the foreground: `erl` itself (ejabberdctl would switch to the ejabberd user and leave
 * beam running when killed), no Erlang distribution (no epmd, no cookie), its own config, Mnesia and log under
 * `dir`; users registered once it has started, then it prints EJABBERD_READY. Several connections for one
 * component domain are accepted; with no `domain_balancing` each stanza goes to one of them at random, and
 * one that drops stops getting any at once.
 */
export async function startEjabberd(opts: EjabberdOptions): Promise<RunningEjabberd> {
  const erl = findBinary('erl');
  const libs = ejabberdLibs();
  if (!erl || !libs) throw new Error('ejabberd is not installed: apt-get install -y ejabberd');
  const { dir } = opts;
  mkdirSync(join(dir, 'db'), { recursive: true });
  const logFile = join(dir, 'ejabberd.log');
  const [c2sPort, componentPort] = (await freePorts(2)) as [number, number];
  const services = opts.components.map((c) => `      "${c.jid}":\n        password: "${c.secret}"`).join('\n');
  writeFileSync(
    join(dir, 'ejabberd.yml'),
    `hosts:
  - localhost
loglevel: info
acme:
  auto: false
s2s_access: none
auth_method: internal
auth_password_format: plain
listen:
  -
    port: ${c2sPort}
    ip: "127.0.0.1"
    module: ejabberd_c2s
    starttls_required: false
  -
    port: ${componentPort}
    ip: "127.0.0.1"
    module: ejabberd_service
    hosts:
${services}
modules:
  mod_disco: {}
  mod_roster: {}
`,
  );
  const register = opts.users
    .map((u) => {
      if (!/^\w+$/.test(u.user + u.password)) throw new Error(`ejabberd test user ${u.user}: letters and digits only`);
      return `ejabberd_auth:try_register(<<"${u.user}">>, <<"localhost">>, <<"${u.password}">>),`;
    })
    .join(' ');
  const fd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(
      erl,
      ['-noinput', '-mnesia', 'dir', `"${join(dir, 'db')}"`, '-s', 'ejabberd', '-eval', `${register} io:format("EJABBERD_READY~n").`],
      {
        cwd: dir,
        stdio: ['ignore', 'pipe', fd],
        env: {
          PATH: process.env.PATH ?? '',
          HOME: dir, // a stray .erlang.cookie lands here
          ERL_LIBS: libs,
          ERL_CRASH_DUMP_BYTES: '0',
          EJABBERD_CONFIG_PATH: join(dir, 'ejabberd.yml'),
          EJABBERD_LOG_PATH: join(dir, 'ejabberd-internal.log'),
          EJABBERD_PID_PATH: join(dir, 'ejabberd.pid'),
        },
      },
    );
  } finally {
    closeSync(fd);
  }
  child.on('error', () => {});
  track(child);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    writeFileSync(logFile, d, { flag: 'a' });
  });
  // Its ports open a little before its users exist: ready is the line it prints after registering them.
  await waitUntil(
    child,
    `ejabberd (c2s ${c2sPort}, component ${componentPort})`,
    async () => out.includes('EJABBERD_READY'),
    logFile,
    30_000,
  );
  return { c2sPort, componentPort, logFile, stop: () => killAndWait(child) };
}

/** True if both server binaries are on this machine. */
export function serversInstalled(): boolean {
  return findBinary('prosody') !== undefined && findBinary('redis-server') !== undefined;
}

// Keep spawnSync referenced for callers that want a synchronous version check later.
export function prosodyVersion(): string | undefined {
  const ctl = findBinary('prosodyctl');
  if (!ctl) return undefined;
  const r = spawnSync(ctl, ['about'], { encoding: 'utf8' });
  return /Prosody\s+(\S+)/.exec(r.stdout ?? '')?.[1];
}
