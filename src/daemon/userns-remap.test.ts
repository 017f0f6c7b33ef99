import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveRemappedRoot } from './userns-remap';
import { loadConfig } from './config';
import { freeRangeStart, type SubIdFiles } from '../sys/subid';

let dir = '';
let files: SubIdFiles;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-subid-'));
  files = { passwd: join(dir, 'passwd'), group: join(dir, 'group'), subuid: join(dir, 'subuid'), subgid: join(dir, 'subgid') };
  await writeFile(files.passwd, 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\nbob:x:1001:1001::/home/bob:/bin/sh\ndave:x:1002:1002::/home/dave:/bin/sh\n');
  await writeFile(files.group, 'root:x:0:\nalice:x:1000:\nstaff:x:50:\n');
  await writeFile(files.subuid, 'alice:100000:65536\n1000:300000:1000\nbob:165536:65536\n');
  await writeFile(files.subgid, 'alice:100000:65536\nstaff:200000:65536\n');
});
after(() => rm(dir, { recursive: true, force: true }));

test('user, uid, user:group: ranges by name or ID, laid end to end from 0', async () => {
  const a = await resolveRemappedRoot('alice', files);
  assert.deepEqual(a?.map.uids, [{ containerID: 0, hostID: 100000, size: 65536 }, { containerID: 65536, hostID: 300000, size: 1000 }]);
  assert.deepEqual(a?.map.gids, [{ containerID: 0, hostID: 100000, size: 65536 }]);
  assert.deepEqual(await resolveRemappedRoot('1000', files), a);
  const s = await resolveRemappedRoot('alice:staff', files);
  assert.equal(s?.group, 'staff');
  assert.deepEqual(s?.map.gids, [{ containerID: 0, hostID: 200000, size: 65536 }]);
  assert.equal(await resolveRemappedRoot('root', files), undefined);
});

test("Docker's errors: bad spec, unknown user or group, no ranges", async () => {
  await assert.rejects(resolveRemappedRoot('a:b:c', files), /Invalid user\/group specification in --userns-remap: "a:b:c"/);
  await assert.rejects(resolveRemappedRoot('carol', files), /Error during uid lookup for "carol"/);
  await assert.rejects(resolveRemappedRoot('4242', files), /Uid 4242 has no entry in \/etc\/passwd/);
  await assert.rejects(resolveRemappedRoot('bob', files), /Error during gid lookup for "bob"/);
  await assert.rejects(resolveRemappedRoot('dave:staff', files), /^InvalidArgument: Can't create ID mappings: no subuid ranges found for user "dave"$/);
  await assert.rejects(resolveRemappedRoot('alice:root', files), /no subgid ranges found for group "root"/);
});

test('a free range starts after every range it would overlap', () => {
  assert.equal(freeRangeStart([], 65536), 100000);
  assert.equal(freeRangeStart([{ start: 100000, count: 65536 }], 65536), 165536);
  assert.equal(freeRangeStart([{ start: 300000, count: 10 }, { start: 100000, count: 65536 }], 65536), 165536);
  assert.equal(freeRangeStart([{ start: 150000, count: 10 }], 65536), 150010);
});

test('userns-remap comes from the flag or daemon.json (the flag wins); absent: off', async () => {
  const file = join(dir, 'daemon.json');
  await writeFile(file, JSON.stringify({ 'userns-remap': 'alice' }));
  assert.equal((await loadConfig(['--config-file', file])).usernsRemap, 'alice');
  assert.equal((await loadConfig(['--config-file', file, '--userns-remap', 'default'])).usernsRemap, 'default');
  await writeFile(file, '{}');
  assert.equal((await loadConfig(['--config-file', file])).usernsRemap, undefined);
});
