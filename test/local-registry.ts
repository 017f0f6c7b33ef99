import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile, mkdir } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); });
    s.once('error', reject);
  });
}

/**
 * Debian's docker-registry (distribution 2.8) on a free loopback port, plain HTTP, storing
 * under `<dir>/storage`: `addr` is its `host:port`; `stop` ends it (by its PID).
 */
export async function startRegistry(dir: string): Promise<{ addr: string; stop: () => Promise<void> }> {
  const addr = `127.0.0.1:${await freePort()}`;
  await mkdir(dir, { recursive: true });
  const cfg = join(dir, 'config.yml');
  await writeFile(cfg, [
    'version: 0.1', 'log:', '  level: error', 'storage:', '  filesystem:', `    rootdirectory: ${join(dir, 'storage')}`,
    '  delete:', '    enabled: true', 'http:', `  addr: ${addr}`, '',
  ].join('\n'));
  const p: ChildProcess = spawn('docker-registry', ['serve', cfg], { stdio: 'ignore' });
  const stop = async () => {
    if (p.exitCode !== null || p.signalCode !== null) return;
    await new Promise<void>((r) => { p.once('exit', () => r()); process.kill(p.pid!, 'SIGTERM'); });
  };
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((r) => http.get(`http://${addr}/v2/`, (res) => { res.resume(); r(res.statusCode === 200); }).once('error', () => r(false)));
    if (ok) return { addr, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`docker-registry on ${addr} did not answer`);
}
