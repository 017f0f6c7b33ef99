/**
 * Go's text/tabwriter as docker configures it (minwidth 10, tabwidth 1, padding 3, spaces):
 * tab-terminated cells are padded to their column's width; the last cell of a line is not.
 * Widths count characters (runes), as Go does.
 */
export function tabwrite(text: string, opts = { minWidth: 10, padding: 3 }): string {
  const lines = text.split('\n');
  const rows = lines.map((l) => l.split('\t'));
  // A column block is a run of consecutive lines having a tab-terminated cell at that index.
  const widths: number[][] = rows.map((r) => new Array(Math.max(0, r.length - 1)).fill(0));
  const maxCols = Math.max(0, ...rows.map((r) => r.length - 1));
  for (let col = 0; col < maxCols; col++) {
    let start = -1;
    const flush = (end: number) => {
      if (start < 0) return;
      let w = 0;
      for (let i = start; i < end; i++) w = Math.max(w, runeLen(rows[i][col]));
      w = Math.max(w + opts.padding, opts.minWidth);
      for (let i = start; i < end; i++) widths[i][col] = w;
      start = -1;
    };
    rows.forEach((r, i) => {
      if (r.length - 1 > col) { if (start < 0) start = i; } else flush(i);
    });
    flush(rows.length);
  }
  return rows.map((r, i) => r.map((cell, col) => (col < r.length - 1 ? cell + ' '.repeat(widths[i][col] - runeLen(cell)) : cell)).join('')).join('\n');
}

function runeLen(s: string): number {
  return [...s].length;
}
