/**
 * Renders rows the way docker's formatter package does: a `table` format gets a header row
 * and tab alignment; any other format is one template execution per row, newline-ended.
 * `\t` and `\n` written literally in a --format are honoured, as in docker.
 */
import { GoTemplate } from './go-template';
import { goJson } from './go-values';
import { tabwrite } from './tabwriter';

export interface RowFormat<T> {
  /** The row objects' fields as the template sees them. */
  toContext: (row: T) => Record<string, unknown>;
  /** Header title per field name (`ID` -> `CONTAINER ID`). */
  headers: Record<string, string>;
}

export function unescapeFormat(format: string): string {
  return format.replace(/\\t/g, '\t').replace(/\\n/g, '\n');
}

export function isTableFormat(format: string): boolean {
  return format === 'table' || format.startsWith('table ');
}

export function renderRows<T>(format: string, rows: T[], rf: RowFormat<T>): string {
  if (format === 'json') {
    return rows.map((r) => goJson(sortKeys(rf.toContext(r))) + '\n').join('');
  }
  const table = isTableFormat(format);
  const body = unescapeFormat(table ? format.slice('table'.length).trimStart() : format);
  const tpl = new GoTemplate(body);
  const lines: string[] = [];
  if (table) lines.push(tpl.execute(headerContext(rf.headers)));
  for (const r of rows) lines.push(tpl.execute(rf.toContext(r)));
  if (!lines.length) return '';
  const text = lines.join('\n') + '\n';
  return table ? tabwrite(text) : text;
}

/** A context answering every field (and method field) with its header title. */
function headerContext(headers: Record<string, string>): Record<string, unknown> {
  const ctx: Record<string, unknown> = {};
  for (const [k, title] of Object.entries(headers)) ctx[k] = () => title;
  return ctx;
}

/** docker's `--format json` marshals the context's fields, in key order. */
function sortKeys(ctx: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(ctx).sort()) {
    const v = ctx[k];
    if (typeof v === 'function' && v.length > 0) continue;
    out[k] = typeof v === 'function' ? (v as () => unknown)() : v;
  }
  return out;
}
