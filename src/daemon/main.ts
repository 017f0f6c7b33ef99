import { mkdir, unlink, readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../lib/atomic-file';
import { join } from 'node:path';
import { loadConfig } from './config';
import { wireEngine } from './wire';
import { protectDaemonFromOom } from './wire-cgroups';
import { checkedAddresses, listenTcp, listenUnix, readTlsFiles } from './listeners';
import { serverTlsOptions } from '../server/tls-options';
import { createApiServer } from '../server/http-server';
import { log, setLogLevel } from '../lib/logger';
import { hasErrno } from '../errdefs';

/** Whether pid is a running berthd (its command line names it), as dockerd checks its pid file. */
async function isBerthd(pid: number): Promise<boolean> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).includes('berthd');
  } catch (e) {
    if (hasErrno(e, 'ENOENT') || hasErrno(e, 'ESRCH')) return false;
    throw e;
  }
}

async function main(): Promise<void> {
  const cfg = await loadConfig(process.argv.slice(2));
  setLogLevel(cfg.logLevel);
  // Every address is checked before anything starts, so a refused tcp:// host changes nothing.
  const addrs = checkedAddresses(cfg.hosts, cfg.tls);
  const tlsFiles = cfg.tls.verify && addrs.some((a) => a.kind === 'tcp') ? await readTlsFiles(cfg.tls) : undefined;
  const pidFile = join(cfg.execRoot, 'berthd.pid');
  await mkdir(cfg.execRoot, { recursive: true });
  const old = Number(await readFile(pidFile, 'utf8').catch((e) => { if (hasErrno(e, 'ENOENT')) return ''; throw e; }));
  // A pid file a kill -9 left names a dead process, or by now another program: only a live berthd refuses.
  if (old && old !== process.pid && (await isBerthd(old))) throw new Error(`pid file found, ensure berthd is not running or delete ${pidFile}`);
  await writeFileAtomic(pidFile, String(process.pid));
  await protectDaemonFromOom();
  const engine = await wireEngine(cfg);
  const servers: import('node:http').Server[] = [];
  const sockets: string[] = [];
  for (const addr of addrs) {
    if (addr.kind === 'unix') {
      const server = createApiServer(engine.router);
      await listenUnix(server, addr.path);
      servers.push(server);
      sockets.push(addr.path);
    } else {
      const server = createApiServer(engine.router, tlsFiles && serverTlsOptions(tlsFiles));
      await listenTcp(server, addr, cfg.tls);
      servers.push(server);
    }
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
