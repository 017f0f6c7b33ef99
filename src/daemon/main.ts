import { chmod, mkdir, unlink, writeFile, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { connect } from 'node:net';
import { loadConfig } from './config';
import { wireEngine } from './wire';
import { createApiServer } from '../server/http-server';
import { log, setLogLevel } from '../lib/logger';
import { hasErrno } from '../errdefs';

/** True when something already answers on the unix socket. */
function socketAlive(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    s.on('connect', () => { s.destroy(); resolve(true); });
    s.on('error', () => resolve(false));
  });
}

async function listenUnix(server: import('node:http').Server, path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  if (await socketAlive(path)) throw new Error(`another daemon is already listening on ${path}`);
  await unlink(path).catch((e) => { if (!hasErrno(e, 'ENOENT')) throw e; });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => { server.off('error', reject); resolve(); });
  });
  await chmod(path, 0o660);
}

async function main(): Promise<void> {
  const cfg = await loadConfig(process.argv.slice(2));
  setLogLevel(cfg.logLevel);
  const pidFile = join(cfg.execRoot, 'berthd.pid');
  await mkdir(cfg.execRoot, { recursive: true });
  try {
    const old = Number(await readFile(pidFile, 'utf8'));
    if (old && old !== process.pid) { process.kill(old, 0); throw new Error(`pid file found, ensure berthd is not running or delete ${pidFile}`); }
  } catch (e) { if (!hasErrno(e, 'ENOENT') && !hasErrno(e, 'ESRCH')) throw e; }
  await writeFile(pidFile, String(process.pid));
  const engine = await wireEngine(cfg);
  const servers: import('node:http').Server[] = [];
  const sockets: string[] = [];
  for (const host of cfg.hosts) {
    if (!host.startsWith('unix://')) throw new Error(`unsupported host ${host}: berthd listens on unix:// sockets`);
    const path = host.slice('unix://'.length);
    const server = createApiServer(engine.router);
    await listenUnix(server, path);
    servers.push(server);
    sockets.push(path);
  }
  log.info('berthd is ready', { hosts: cfg.hosts, dataRoot: cfg.dataRoot });
  const shutdown = async (sig: string) => {
    log.info('shutting down; containers keep running', { signal: sig });
    await engine.close();
    for (const s of servers) s.close();
    for (const s of sockets) await unlink(s).catch(() => {});
    await unlink(pidFile).catch(() => {});
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

// A fault in one request must not take down the daemon and every client with it.
process.on('uncaughtException', (e) => log.error('uncaught exception', { error: String(e.stack ?? e) }));
process.on('unhandledRejection', (e) => log.error('unhandled rejection', { error: String((e as Error)?.stack ?? e) }));

main().catch((e: Error) => {
  process.stderr.write(`berthd: ${e.message}\n`);
  process.exit(1);
});
