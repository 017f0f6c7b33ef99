/**
 * `--ipc shareable`: the donor's /dev/shm is a tmpfs of --shm-size on the host (as dockerd makes
 * it), bound by joiners, and unmounted when the donor is removed.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestDaemon } from '../harness';

const d = new TestDaemon('shm');
before(() => d.start());
after(() => d.stop());

const mounted = (path: string) => readFileSync('/proc/self/mountinfo', 'utf8').split('\n').some((l) => l.split(' ')[4] === path);

test('a shareable /dev/shm is limited by --shm-size, shared with joiners, and gone with the donor', async () => {
  const donor = await d.cli(['run', '-d', '--name', 'shm-donor', '--ipc', 'shareable', '--shm-size', '8m', 'busybox', 'sh', '-c', 'echo hi > /dev/shm/f; sleep 60']);
  assert.equal(donor.code, 0, donor.stderr);
  const id = donor.stdout.trim();
  const size = async (args: string[]) => {
    const r = await d.cli(args);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.trim().split('\n').pop()!.trim().split(/\s+/)[1];
  };
  assert.equal(await size(['exec', 'shm-donor', 'df', '-k', '/dev/shm']), '8192');
  const joined = await d.cli(['run', '--rm', '--ipc', 'container:shm-donor', 'busybox', 'sh', '-c', 'cat /dev/shm/f; df -k /dev/shm']);
  assert.equal(joined.code, 0, joined.stderr);
  assert.match(joined.stdout, /^hi\n/);
  assert.equal(joined.stdout.trim().split('\n').pop()!.trim().split(/\s+/)[1], '8192');
  // writing past the limit fails inside, as on a private /dev/shm
  const full = await d.cli(['exec', 'shm-donor', 'sh', '-c', 'dd if=/dev/zero of=/dev/shm/big bs=1M count=16 2>&1; echo rc=$?']);
  assert.match(full.stdout, /No space left on device[\s\S]*rc=1/);
  const dir = join(d.execRoot, 'shm', id);
  assert.ok(mounted(dir), `${dir} is a mount`);
  assert.equal((await d.cli(['rm', '-f', 'shm-donor'])).code, 0);
  assert.equal(mounted(dir), false, 'unmounted with the donor');
});
