import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderRows } from './format';
import { HISTORY_DEFAULT_FORMAT, HISTORY_HEADERS, HISTORY_NON_HUMAN_FORMAT, historyContext } from './history-context';

const NOW = Date.parse('2026-11-22T12:00:00Z');
const items = [
  { Id: 'sha256:' + 'ab'.repeat(32), Created: NOW / 1000 - 120, CreatedBy: '/bin/sh -c #(nop)\tCMD ["sh"] and a long tail to cut off', Tags: ['x:1'], Size: 0, Comment: '' },
  { Id: '<missing>', Created: NOW / 1000 - 7200, CreatedBy: '', Tags: null, Size: 1984172, Comment: 'Imported from -' },
];

test('history rows as docker prints them: short IDs, <missing>, ellipsis, human sizes', () => {
  const out = renderRows(HISTORY_DEFAULT_FORMAT, items, { headers: HISTORY_HEADERS, toContext: (h) => historyContext(h, { trunc: true, human: true, now: NOW }) });
  assert.equal(out,
    'IMAGE          CREATED         CREATED BY                                      SIZE      COMMENT\n' +
    'abababababab   2 minutes ago   /bin/sh -c #(nop) CMD ["sh"] and a long tail…   0B        \n' +
    '<missing>      2 hours ago                                                     1.98MB    Imported from -\n');
});

test('history with --human=false: RFC 3339 times, byte sizes, the CREATED AT column', () => {
  const out = renderRows(HISTORY_NON_HUMAN_FORMAT, items.slice(1), { headers: HISTORY_HEADERS, toContext: (h) => historyContext(h, { trunc: false, human: false, now: NOW }) });
  assert.equal(out,
    'IMAGE       CREATED AT             CREATED BY   SIZE      COMMENT\n' +
    '<missing>   2026-11-22T10:00:00Z                1984172   Imported from -\n');
});
