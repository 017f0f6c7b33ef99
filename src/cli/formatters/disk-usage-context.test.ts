import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ContainerSummary, DiskUsage, ImageSummary } from '../../client';
import { renderDiskUsage, renderDiskUsageVerbose } from './disk-usage-context';
import { renderRows } from './format';
import { IMAGES_HEADERS, imageContext, imageFormat, imageRows } from './image-context';

const NOW = 1795370830_000;
const image = (id: string, tags: string[], created: number, size: number, shared: number, containers: number): ImageSummary => ({
  Id: `sha256:${id.padEnd(64, '0')}`, ParentId: '', RepoTags: tags, RepoDigests: [], Created: created, Size: size,
  SharedSize: shared, Labels: null, Containers: containers,
});
const container = (id: string, name: string, sizeRw?: number): ContainerSummary => ({
  Id: id.padEnd(64, '0'), Names: [`/${name}`], Image: 'busybox', ImageID: 'sha256:1', Command: 'true', Created: 1795370800,
  Ports: [], Labels: {}, State: 'exited', Status: 'Exited (0) 20 seconds ago', ...(sizeRw ? { SizeRw: sizeRw } : {}),
} as ContainerSummary);

// what a Docker 20.10 engine answered, and what its docker 28 CLI printed for it
const DU: DiskUsage = {
  LayersSize: 5950681,
  Images: [
    image('62886cf1363e', ['berthrt/a:1', 'berthrt/b:2'], 1795370806, 1982276, 1982270, 0),
    image('6774cf582f8d', ['berthrt/base:0'], 1795370805, 1982270, 1982270, 1),
    image('04d44e73efcb', ['busybox:latest'], 1795362908, 1984233, 0, 0),
    image('fc6eb0e09386', ['<none>:<none>'], 1795362423, 1984172, 0, 3),
  ].map((i, n) => (n === 3 ? { ...i, RepoDigests: ['<none>@<none>'] } : i)),
  Containers: [container('058441b0338d', 'c1', 6), container('b6e19d7d7e38', 'fc'), container('78bb10adc84c', 'fb'), container('76c7558dee10', 'fa')],
  Volumes: [],
  BuildCache: null,
};

test('system df: the summary table, reclaimable percentages and --format as docker prints them', () => {
  assert.equal(renderDiskUsage(DU), [
    'TYPE            TOTAL     ACTIVE    SIZE      RECLAIMABLE',
    'Images          4         2         5.951MB   3.967MB (66%)',
    'Containers      4         0         6B        6B (100%)',
    'Local Volumes   0         0         0B        0B',
    'Build Cache     0         0         0B        0B',
    ''].join('\n'));
  assert.equal(renderDiskUsage(DU, '{{.Type}}: {{.Reclaimable}}'), 'Images: 3.967MB (66%)\nContainers: 6B (100%)\nLocal Volumes: 0B\nBuild Cache: 0B\n');
  assert.equal(renderDiskUsage(DU, 'json').split('\n')[0], '{"Active":"2","Reclaimable":"3.967MB (66%)","Size":"5.951MB","TotalCount":"4","Type":"Images"}');
});

test('system df -v: one row per image under its first tag, sizes with four digits, empty sections with headers', () => {
  const out = renderDiskUsageVerbose(DU, NOW);
  assert.equal(out.split('\n\nContainers space usage:')[0], [
    'Images space usage:',
    '',
    'REPOSITORY     TAG       IMAGE ID       CREATED          SIZE      SHARED SIZE   UNIQUE SIZE   CONTAINERS',
    'berthrt/a      1         62886cf1363e   24 seconds ago   1.98MB    1.982MB       6B            0',
    'berthrt/base   0         6774cf582f8d   25 seconds ago   1.98MB    1.982MB       0B            1',
    'busybox        latest    04d44e73efcb   2 hours ago      1.98MB    0B            1.984MB       0',
    '<none>         <none>    fc6eb0e09386   2 hours ago      1.98MB    0B            1.984MB       3',
  ].join('\n'));
  assert.match(out, /\nContainers space usage:\n\nCONTAINER ID   IMAGE     COMMAND   LOCAL VOLUMES   SIZE      CREATED          STATUS                      NAMES\n058441b0338d   busybox   "true"    0               6B        30 seconds ago   Exited \(0\) 20 seconds ago   c1\n/);
  assert.ok(out.endsWith('\n\nLocal Volumes space usage:\n\nVOLUME NAME   LINKS     SIZE\n\nBuild cache usage: 0B\n\nCACHE ID   CACHE TYPE   SIZE      CREATED   LAST USED   USAGE     SHARED\n'), out);
});

test('images rows: digest rows only when digests are shown, a custom table gains DIGEST, -q keeps one line per row', () => {
  const img = { ...image('aa', ['r:1', 'r:2', 'other:x'], 1795370800, 10, -1, -1), RepoDigests: ['r@sha256:d1', 'only@sha256:d2'] };
  const render = (format: string, quiet: boolean, digest: boolean) => {
    const f = imageFormat(format, quiet, digest);
    const rows = imageRows([img], { digest, needDigest: digest || f.includes('{{.Digest}}') });
    return renderRows(f, rows, { headers: IMAGES_HEADERS, toContext: (r) => imageContext(r, { trunc: true, now: NOW }) });
  };
  assert.equal(render('{{.Repository}}:{{.Tag}}@{{.Digest}}', false, false), 'r:1@sha256:d1\nr:2@sha256:d1\nother:x@<none>\nonly:<none>@\n');
  assert.equal(render('{{.Repository}}:{{.Tag}}', false, true), 'r:1\nr:2\nother:x\nonly:<none>\n');
  assert.equal(render('table {{.Repository}}', false, true).split('\n')[0], 'REPOSITORY   DIGEST');
  assert.equal(render('table', true, false), 'aa0000000000\n'.repeat(4));
  assert.equal(render('{{.ID}}', false, false).split('\n').length, 5);
});
