import { ALL_CAPABILITIES } from '../../../core/runtime';
/**
 * Recording fakes for every contract a ContainerService depends on, and a harness that wires
 * them over temp dirs. No root, no runc, no conmon: the fake runtime and monitor play conmon's
 * part by writing exit files `<execRoot>/exits/<id>` the way conmon does (atomically).
 */
import { EventEmitter } from 'node:events';
import { cp, mkdtemp, mkdir, writeFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgument, NotFound } from '../../../errdefs';
import type {
  OciRuntime, RuntimeState, ContainerMonitor, MonitorCreateOptions, AttachChannel, AttachConnection, StdStream,
} from '../../../core/runtime';
import type { ContainerRootfs } from '../../../core/snapshots';
import type { NetworkAttacher, AttachRequest, Endpoint, EndpointConfig, SandboxInfo, SandboxRef } from '../../../core/network';
import { ContainerStore } from '../container-store';
import { VolumeService } from '../../volumes';
import { DirVolumeDriver } from '../../volumes/testing/dir-driver';
import { ContainerService } from '../container-service';
import type { ContainerContext, ImageLookup, ImageForContainer } from '../deps';
import type { ContainerRecord } from '../types';

/** One recorded call; `seq` orders calls across all fakes. */
export interface Call { op: string; args: unknown[]; seq: number }

let seq = 0;

/** Records calls in order and lets a test wait for one without sleeping. */
export class Recording {
  readonly calls: Call[] = [];
  private readonly emitter = new EventEmitter();

  protected record(op: string, ...args: unknown[]): void {
    const c = { op, args, seq: seq++ };
    this.calls.push(c);
    this.emitter.emit('call', c);
  }

  /** The calls to `op` (optionally whose first argument is `id`). */
  callsTo(op: string, id?: string): Call[] {
    return this.calls.filter((c) => c.op === op && (id === undefined || c.args[0] === id));
  }

  /** Resolves once `op` (on `id`, if given) has been called `n` times, counting earlier calls. */
  called(op: string, id?: string, n = 1): Promise<void> {
    if (this.callsTo(op, id).length >= n) return Promise.resolve();
    return new Promise((resolve) => {
      const on = () => {
        if (this.callsTo(op, id).length < n) return;
        this.emitter.off('call', on);
        resolve();
      };
      this.emitter.on('call', on);
    });
  }
}

/** Writes an exit file as conmon does: complete before it appears in the watched dir. */
export async function writeExitFile(exitDir: string, id: string, code: number): Promise<void> {
  const tmp = join(exitDir, '..', `.exit-${id}-${process.hrtime.bigint()}`);
  await writeFile(tmp, String(code));
  await rename(tmp, join(exitDir, id));
}

const SIGNAL_NUMBERS: Record<string, number> = { KILL: 9, TERM: 15, INT: 2, HUP: 1 };
const signalNumber = (s: string) => (/^\d+$/.test(s) ? Number(s) : SIGNAL_NUMBERS[s.toUpperCase().replace(/^SIG/, '')] ?? 0);

/**
 * An OCI runtime holding its containers in memory. The fake monitor registers a container at
 * create; `kill` with a signal in `dieOn` makes it die a tick later: its exit file holds 128+signal.
 */
export class FakeRuntime extends Recording implements OciRuntime {
  readonly globalArgs = ['--root', '/run/fake-runtime'];
  readonly live = new Map<string, RuntimeState>();
  /** Signals the container dies of; others are recorded and ignored (a process trapping TERM). */
  dieOn = new Set([9, 15]);
  /** When set, `start` rejects with it. */
  startError?: Error;

  constructor(readonly exitDir: string, readonly name = 'runc', readonly path = '/usr/bin/runc') { super(); }

  /** What conmon's `runtime create` leaves: a created container with its init PID. */
  register(id: string, pid: number): void { this.live.set(id, { id, pid, status: 'created' }); }

  async start(id: string): Promise<void> {
    this.record('start', id);
    if (this.startError) throw this.startError;
    const s = this.live.get(id);
    if (!s) throw new NotFound(`container ${id} does not exist`);
    s.status = 'running';
  }

  async kill(id: string, signal: string, all?: boolean): Promise<void> {
    this.record('kill', id, signal, all);
    const s = this.live.get(id);
    if (!s || s.status === 'stopped') throw new Error(`container ${id} is not running`);
    const sig = signalNumber(signal);
    if (!this.dieOn.has(sig)) return;
    s.status = 'stopped';
    setImmediate(() => { void writeExitFile(this.exitDir, id, 128 + sig); });
  }

  async delete(id: string, force?: boolean): Promise<void> {
    this.record('delete', id, force);
    this.live.delete(id);
  }

  async state(id: string): Promise<RuntimeState> {
    this.record('state', id);
    const s = this.live.get(id);
    if (!s) throw new NotFound(`container ${id} does not exist`);
    return { ...s };
  }

  async pause(id: string): Promise<void> { this.record('pause', id); const s = this.live.get(id); if (s) s.status = 'paused'; }
  async resume(id: string): Promise<void> { this.record('resume', id); const s = this.live.get(id); if (s) s.status = 'running'; }
  async list(): Promise<string[]> { this.record('list'); return [...this.live.keys()]; }
}

/**
 * A monitor that hands out PIDs and registers the container with the fake runtime named in
 * the options. `failNext` makes the next create reject as conmon does when the runtime's
 * create fails ("executable file not found" carries exit code 127).
 */
export class FakeMonitor extends Recording implements ContainerMonitor {
  readonly options: MonitorCreateOptions[] = [];
  private nextPid = 4000;
  private failures: Error[] = [];

  constructor(private readonly runtimes: Map<string, FakeRuntime>) { super(); }

  failNext(err: Error = notFoundExecutable()): void { this.failures.push(err); }

  async create(o: MonitorCreateOptions): Promise<number> {
    this.record('create', o.id, o);
    this.options.push(o);
    const err = this.failures.shift();
    if (err) throw err;
    const pid = this.nextPid++;
    this.runtimes.get(o.runtime.name)?.register(o.id, pid);
    return pid;
  }
}

export function notFoundExecutable(cmd = 'nosuchcmd'): InvalidArgument {
  return new InvalidArgument(
    `failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "${cmd}": executable file not found in $PATH: unknown`,
    { exitCode: 127 },
  );
}

export class FakeAttachConnection implements AttachConnection {
  readonly stdin: Buffer[] = [];
  stdinEnded = false;
  closed = false;
  private outputs: ((stream: StdStream, data: Buffer) => void)[] = [];
  private closes: (() => void)[] = [];

  onOutput(cb: (stream: StdStream, data: Buffer) => void): void { this.outputs.push(cb); }
  onClose(cb: () => void): void { this.closes.push(cb); }
  writeStdin(data: Buffer): void { this.stdin.push(data); }
  endStdin(): void { this.stdinEnded = true; }
  close(): void { this.closed = true; }
  /** The container wrote something. */
  emit(stream: StdStream, data: string): void { for (const cb of this.outputs) cb(stream, Buffer.from(data)); }
  /** The container ended. */
  end(): void { for (const cb of this.closes) cb(); }
}

export class FakeAttachChannel extends Recording implements AttachChannel {
  readonly connections: FakeAttachConnection[] = [];

  async connect(socketPath: string): Promise<AttachConnection> {
    this.record('connect', socketPath);
    const c = new FakeAttachConnection();
    this.connections.push(c);
    return c;
  }

  resize(ctlFifo: string, height: number, width: number): void { this.record('resize', ctlFifo, height, width); }
}

/** Container layers as temp dirs; a mounted rootfs holds etc/passwd and etc/group. */
export class FakeRootfs extends Recording implements ContainerRootfs {
  readonly layers = new Map<string, string>();
  readonly mounted = new Set<string>();
  createError?: Error;

  constructor(private readonly root: string) { super(); }

  async create(containerId: string, imageId: string): Promise<void> {
    this.record('create', containerId, imageId);
    if (this.createError) throw this.createError;
    const dir = join(this.root, containerId, 'merged');
    await mkdir(join(dir, 'etc'), { recursive: true });
    await writeFile(join(dir, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\nwww:x:33:33:www:/var/www:/bin/false\n');
    await writeFile(join(dir, 'etc', 'group'), 'root:x:0:\nwww:x:33:\nwheel:x:10:root,www\nnogroup:x:65534:\n');
    this.layers.set(containerId, dir);
  }

  async mount(containerId: string): Promise<string> {
    this.record('mount', containerId);
    const dir = this.layers.get(containerId);
    if (!dir) throw new NotFound(`no layer for container ${containerId}`);
    this.mounted.add(containerId);
    return dir;
  }

  async unmount(containerId: string): Promise<void> {
    this.record('unmount', containerId);
    this.mounted.delete(containerId);
  }

  async remove(containerId: string): Promise<void> {
    this.record('remove', containerId);
    this.mounted.delete(containerId);
    this.layers.delete(containerId);
    await rm(join(this.root, containerId), { recursive: true, force: true });
  }

  async list(): Promise<string[]> { return [...this.layers.keys()]; }
}

/**
 * Networks none, host, bridge and usernet (and container:<id>). Own namespaces are fake paths;
 * bridge hands out 172.17.0.x, a connect 10.9.0.2. `attachError` makes the next attach reject.
 */
export class FakeNetwork extends Recording implements NetworkAttacher {
  attachError?: Error;
  private nextIp = 2;
  /** Names of the network IDs resolve handed out. */
  private names = new Map<string, string>();

  constructor(private readonly resolvConf: string) { super(); }

  resolve(mode: string, endpoints: Record<string, EndpointConfig> = {}): Record<string, EndpointConfig> {
    this.record('resolve', mode, endpoints);
    if (mode.startsWith('container:')) return {};
    if (!['none', 'host', 'bridge', 'usernet'].includes(mode)) throw new NotFound(`network ${mode} not found`);
    const id = mode.repeat(64).slice(0, 64);
    this.names.set(id, mode);
    return { [mode]: { ...endpoints[mode], NetworkID: id } };
  }

  async attach(req: AttachRequest): Promise<SandboxInfo> {
    this.record('attach', req.containerId, req);
    if (this.attachError) { const e = this.attachError; this.attachError = undefined; throw e; }
    const base = { resolvConf: this.resolvConf, extraHosts: [], containerId: req.containerId, endpoints: [] };
    if (req.mode === 'host') return { ...base, netns: 'host', owned: false };
    if (req.mode.startsWith('container:')) return { ...base, netns: req.peerNetns ?? 'host', owned: false };
    const netns = `/run/fake-netns/${req.containerId.slice(0, 12)}`;
    if (req.mode === 'none') return { ...base, netns, owned: true };
    const ip = `172.17.0.${this.nextIp++}`;
    return {
      ...base, netns, owned: true,
      endpoints: [{ networkName: 'bridge', networkId: 'b'.repeat(64), endpointId: req.containerId.slice(0, 16), ifname: 'eth0', bridge: 'berth0', ipAddress: ip, prefixLen: 16, gateway: '172.17.0.1', macAddress: '02:42:ac:11:00:02' }],
    };
  }

  async connect(sandbox: SandboxRef, req: { containerId: string; network: string }): Promise<Endpoint> {
    this.record('connect', sandbox.netns, req);
    return { networkName: this.names.get(req.network) ?? req.network, networkId: req.network, endpointId: `${req.containerId.slice(0, 12)}-${req.network}`, ifname: 'eth1', bridge: 'br-fake', ipAddress: '10.9.0.2', prefixLen: 24, gateway: '10.9.0.1', macAddress: '02:42:0a:09:00:02' };
  }

  async disconnect(sandbox: SandboxRef, endpoint: Endpoint): Promise<void> { this.record('disconnect', sandbox.netns, endpoint); }
  async detach(sandbox: SandboxRef): Promise<void> { this.record('detach', sandbox.netns, sandbox); }
  async restore(live: SandboxRef[]): Promise<void> { this.record('restore', live); }
  async close(): Promise<void> { this.record('close'); }
}

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Images by reference: busybox (Cmd ['sh']), `entry` (Entrypoint + Cmd), `bare` (nothing set). */
export class FakeImages extends Recording implements ImageLookup {
  readonly images = new Map<string, ImageForContainer>([
    ['busybox', { id: `sha256:${'a'.repeat(64)}`, config: { Env: [`PATH=${DEFAULT_PATH}`], Cmd: ['sh'] } }],
    ['entry', { id: `sha256:${'e'.repeat(64)}`, config: { Env: ['PATH=/opt/bin:/bin', 'MODE=image'], Entrypoint: ['/entrypoint.sh'], Cmd: ['serve'], WorkingDir: '/srv', User: 'www', Labels: { from: 'image' }, StopSignal: 'SIGQUIT' } }],
    ['bare', { id: `sha256:${'b'.repeat(64)}`, config: {} }],
  ]);

  async resolveForContainer(ref: string): Promise<ImageForContainer> {
    this.record('resolveForContainer', ref);
    const img = this.images.get(ref);
    if (!img) throw new NotFound(`No such image: ${ref}`);
    return img;
  }
}

/** The events a service emitted, as `op` = action and args [id, extra]. */
export class EventLog extends Recording {
  push = (action: string, rec: ContainerRecord, extra?: Record<string, string>) => this.record(action, rec.id, extra);
}

export interface Harness {
  root: string;
  ctx: ContainerContext;
  service: ContainerService;
  runtime: FakeRuntime;
  monitor: FakeMonitor;
  attach: FakeAttachChannel;
  rootfs: FakeRootfs;
  network: FakeNetwork;
  images: FakeImages;
  events: EventLog;
  volumes: VolumeService;
  volumeDriver: DirVolumeDriver;
  /** Writes `<execRoot>/exits/<id>` as conmon does when the container ends. */
  exit(id: string, code: number): Promise<void>;
  /** Closes this service (as a crash would leave things) and starts another over the same dirs. */
  reopen(before?: (next: Harness) => void | Promise<void>): Promise<Harness>;
  /** Closes the services and removes the temp dirs. */
  cleanup(): Promise<void>;
}

export interface HarnessOptions {
  /** Reuse these dirs (a restarted daemon); they are then left for the first harness to remove. */
  root?: string;
  runtime?: FakeRuntime;
  rootfs?: FakeRootfs;
  /** Keep volumes across a reopen. */
  volumeDriver?: DirVolumeDriver;
  /** Runs on the wired harness before `init()`. */
  beforeInit?: (h: Harness) => void | Promise<void>;
  closers?: (() => Promise<void>)[];
}

/** A ContainerService over fakes and fresh temp dirs, `init()` done. */
export async function makeHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const root = opts.root ?? await mkdtemp(join(tmpdir(), 'berth-containers-'));
  const paths = { dataRoot: join(root, 'data'), execRoot: join(root, 'exec') };
  const exitDir = join(paths.execRoot, 'exits');
  const resolvConf = join(root, 'resolv.conf');
  await mkdir(paths.dataRoot, { recursive: true });
  await writeFile(resolvConf, 'nameserver 10.0.0.53\nsearch example.test\n');
  const runtime = opts.runtime ?? new FakeRuntime(exitDir);
  const runtimes = new Map<string, FakeRuntime>([[runtime.name, runtime]]);
  const monitor = new FakeMonitor(runtimes);
  const attach = new FakeAttachChannel();
  const rootfs = opts.rootfs ?? new FakeRootfs(join(root, 'layers'));
  const network = new FakeNetwork(resolvConf);
  const images = new FakeImages();
  const events = new EventLog();
  const volumeDriver = opts.volumeDriver ?? new DirVolumeDriver(join(root, 'volumes'));
  const volumes = new VolumeService({ drivers: [volumeDriver], events: (action, name) => events.push(`volume-${action}`, { id: name } as ContainerRecord) });
  const ctx: ContainerContext = {
    store: new ContainerStore(join(paths.dataRoot, 'containers')),
    images, rootfs, network, runtimes, monitor, attach, volumes,
    mountHost: { copyTree: (src, dst) => cp(src, dst, { recursive: true }), propagationOf: async () => ({ mountpoint: '/', shared: false, slave: false }),
      mountTmpfs: async () => undefined, unmount: async () => undefined },
    defaultRuntime: runtime.name,
    runtimeRefusals: new Map(),
    hostCapabilities: ALL_CAPABILITIES,
    paths,
    rlimits: [{ type: 'RLIMIT_NOFILE', hard: 1048576, soft: 1048576 }],
    events: events.push,
  };
  const service = new ContainerService(ctx);
  const closers = opts.closers ?? [];
  closers.push(() => service.close());
  const h: Harness = {
    root, ctx, service, runtime, monitor, attach, rootfs, network, images, events, volumes, volumeDriver,
    exit: (id, code) => writeExitFile(exitDir, id, code),
    async reopen(beforeInit) {
      await service.close();
      return makeHarness({ root, runtime, rootfs, volumeDriver, closers, beforeInit });
    },
    async cleanup() {
      for (const c of closers.splice(0)) await c().catch(() => {});
      if (!opts.root) await rm(root, { recursive: true, force: true });
    },
  };
  await opts.beforeInit?.(h);
  await volumes.init();
  await service.init();
  return h;
}
