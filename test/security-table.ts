/**
 * Writes docs/security-defaults.md: the same probes run inside a busybox container through a
 * private berthd (this checkout) and, when it answers, the reference Docker engine
 * (unix:///run/docker.sock), side by side. Run as root after a build:
 *   node dist/test/security-table.js [out.md]
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO, TestDaemon, run } from './harness';

interface Probe { item: string; flags: string[]; script?: string; docker?: string }

const hostIpc = () => require('node:fs').readlinkSync('/proc/self/ns/ipc') as string;
const hostCgroupNs = () => require('node:fs').readlinkSync('/proc/self/ns/cgroup') as string;
const mountsUnder = "awk '$5 ~ /^\\/(proc|sys)\\// {print $5}' /proc/self/mountinfo | sort | tr '\\n' ' '";

const PROBES: Probe[] = [
  { item: 'CapEff, default', flags: [], script: 'grep CapEff /proc/self/status | cut -f2' },
  { item: 'CapEff, --cap-add net_admin --cap-drop CHOWN', flags: ['--cap-add', 'net_admin', '--cap-drop', 'CHOWN'], script: 'grep CapEff /proc/self/status | cut -f2' },
  { item: 'CapEff, --cap-drop ALL', flags: ['--cap-drop', 'ALL'], script: 'grep CapEff /proc/self/status | cut -f2' },
  { item: 'CapEff, --privileged', flags: ['--privileged'], script: 'grep CapEff /proc/self/status | cut -f2' },
  { item: 'Seccomp mode, default', flags: [], script: 'grep ^Seccomp: /proc/self/status | cut -f2' },
  { item: 'Seccomp mode, --security-opt seccomp=unconfined', flags: ['--security-opt', 'seccomp=unconfined'], script: 'grep ^Seccomp: /proc/self/status | cut -f2' },
  { item: 'Seccomp mode, --privileged', flags: ['--privileged'], script: 'grep ^Seccomp: /proc/self/status | cut -f2' },
  { item: 'unshare -m under the default profile', flags: [], script: 'unshare -m true 2>&1 | tail -1; echo "exit $?"' },
  { item: 'NoNewPrivs, default', flags: [], script: 'grep NoNewPrivs /proc/self/status | cut -f2' },
  { item: 'NoNewPrivs, --security-opt no-new-privileges', flags: ['--security-opt', 'no-new-privileges'], script: 'grep NoNewPrivs /proc/self/status | cut -f2' },
  { item: 'mounts over /proc/* and /sys/* (masked and read-only paths)', flags: [], script: mountsUnder },
  { item: 'mounts over /proc/* and /sys/*, --privileged', flags: ['--privileged'], script: mountsUnder },
  { item: 'bytes read from /proc/timer_list', flags: [], script: 'cat /proc/timer_list | wc -c' },
  { item: 'write to /proc/sys', flags: [], script: 'echo x > /proc/sys/kernel/domainname 2>/dev/null && echo writable || echo read-only' },
  { item: '/sys mount options', flags: [], script: 'grep " /sys " /proc/mounts | cut -d" " -f4 | cut -d, -f1' },
  { item: '/sys mount options, --privileged', flags: ['--privileged'], script: 'grep " /sys " /proc/mounts | cut -d" " -f4 | cut -d, -f1' },
  { item: 'PID of the first process', flags: [], script: 'echo $$' },
  { item: 'IPC namespace is the host\'s', flags: [], script: `[ "$(readlink /proc/self/ns/ipc)" = "${hostIpc()}" ] && echo yes || echo no` },
  { item: 'IPC namespace is the host\'s, --ipc host', flags: ['--ipc', 'host'], script: `[ "$(readlink /proc/self/ns/ipc)" = "${hostIpc()}" ] && echo yes || echo no` },
  { item: 'cgroup namespace is the host\'s', flags: [], script: `[ "$(readlink /proc/self/ns/cgroup)" = "${hostCgroupNs()}" ] && echo yes || echo no` },
  { item: 'hostname, --uts host', flags: ['--uts', 'host'], script: `[ "$(hostname)" = "${require('node:os').hostname()}" ] && echo host || echo own` },
  { item: 'more than 10 PIDs visible, --pid host', flags: ['--pid', 'host'], script: '[ $(ls /proc | grep -c "^[0-9]") -gt 10 ] && echo yes || echo no' },
  { item: '/dev/shm size', flags: [], script: 'df -k /dev/shm | tail -1 | awk \'{print $2 "k"}\'' },
  { item: '/dev entries', flags: [], script: 'ls /dev | tr "\\n" " "' },
  { item: '/dev/mynull, --device /dev/null:/dev/mynull', flags: ['--device', '/dev/null:/dev/mynull'], script: 'ls -l /dev/mynull | awk \'{print $1, $5, $6}\'' },
  { item: 'net.ipv4.ip_forward, --sysctl net.ipv4.ip_forward=1', flags: ['--sysctl', 'net.ipv4.ip_forward=1'], script: 'cat /proc/sys/net/ipv4/ip_forward' },
  { item: 'id, --user 1000:1000 --group-add 10 --group-add nobody', flags: ['--user', '1000:1000', '--group-add', '10', '--group-add', 'nobody'], script: 'id' },
  { item: 'PID 1, --init', flags: ['--init'], script: 'cat /proc/1/comm' },
  { item: 'write to /, --read-only', flags: ['--read-only'], script: 'touch /x 2>&1 | sed "s/^touch: //"' },
  { item: 'error: --cap-add FOO', flags: ['--cap-add', 'FOO'] },
  { item: 'error: --sysctl kernel.hostname=x', flags: ['--sysctl', 'kernel.hostname=x'] },
  { item: 'error: --security-opt seccomp=/etc/hostname (not JSON)', flags: ['--security-opt', 'seccomp=/etc/hostname'] },
  { item: 'error: --ipc bogus', flags: ['--ipc', 'bogus'] },
  { item: 'error: --device /dev/nonexist', flags: ['--device', '/dev/nonexist'] },
];

/** One probe through a CLI: its output, or for an error probe the message without the CLI's prefix. */
async function probe(cli: (args: string[]) => Promise<{ code: number; stdout: string; stderr: string }>, p: Probe): Promise<string> {
  const r = await cli(['run', '--rm', ...p.flags, 'busybox', ...(p.script ? ['sh', '-c', p.script] : ['true'])]);
  if (!p.script) {
    const line = r.stderr.split('\n').find((l) => l.trim()) ?? `(exit ${r.code})`;
    return line.replace(/^(docker|berth): /, '').replace(/^Error response from daemon: /, '').replace(/^invalid argument "[^"]*" for "[^"]*" flag: /, '');
  }
  return r.code === 0 ? r.stdout.trim() : `exit ${r.code}: ${r.stderr.trim()}`;
}

const cell = (s: string) => `\`${s.replace(/\|/g, '\\|').replace(/\n/g, ' ').slice(0, 300) || ' '}\``;

async function main(): Promise<void> {
  const out = process.argv[2] ?? join(REPO, 'docs', 'security-defaults.md');
  const d = new TestDaemon('sectable');
  await d.start();
  const docker = (args: string[]) => run('docker', ['-H', 'unix:///run/docker.sock', ...args], { timeoutMs: 30_000 });
  const dockerVersion = (await docker(['version', '--format', '{{.Server.Version}}'])).stdout.trim();
  const rows: string[] = [];
  let same = 0;
  try {
    for (const p of PROBES) {
      const b = await probe((a) => d.cli(a, { timeoutMs: 30_000 }), p);
      const k = dockerVersion ? await probe(docker, p) : 'not run';
      if (b === k) same++;
      rows.push(`| ${p.item} | ${cell(b)} | ${cell(k)} | ${b === k ? 'same' : '**differs**'} |`);
    }
  } finally { await d.stop(); }
  const text = [
    '# Security defaults: berth and Docker, item by item',
    '',
    `Generated by \`node dist/test/security-table.js\` (test/security-table.ts) on ${new Date().toISOString().slice(0, 10)}:`,
    'each probe runs in a `busybox` container through a private berthd of this checkout and through the',
    `reference Docker engine (${dockerVersion ? `Docker ${dockerVersion}` : 'not reachable: not run'}) on the same host (kernel ${require('node:os').release()}).`,
    `${same} of ${PROBES.length} probes give the same answer. Do not edit by hand; run the script again.`,
    '',
    '| item | berth | Docker | |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    'Notes on the differences that are expected:',
    '',
    '- berth masks `/proc/interrupts` and `/sys/devices/virtual/powercap` as well, as Docker 25 and later do',
    '  (CVE-2020-8694 for powercap); Docker 20.10 leaves them readable.',
    '- berth\'s default seccomp profile is Docker 20.10.24\'s (profiles/seccomp/default.json, with its',
    '  source and license in profiles/seccomp/NOTICE.md), applied with the same capability, architecture',
    '  and kernel-version rules.',
    '- `--privileged` rows: where the reference Docker answers `unable to apply caps`, its runc asks',
    '  for every capability it knows and the host (a sandbox with a reduced bounding set) lacks some;',
    '  berth grants the capabilities the daemon itself holds, which is what Docker does on a full host.',
    '- Error messages: Docker\'s CLI checks some flags itself (usage errors), berth\'s daemon checks them',
    '  again for API clients; the words after the prefix are the same.',
    '- userns-remap (not on by default, in Docker or berth) is compared in docs/userns-remap.md.',
    '',
  ].join('\n');
  await writeFile(out, text);
  process.stdout.write(`wrote ${out}: ${same}/${PROBES.length} the same\n`);
}

main().catch((e) => { process.stderr.write(`${(e as Error).stack}\n`); process.exit(1); });
