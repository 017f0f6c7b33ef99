/**
 * Tars no well-behaved tool writes, for the hostile-input tests: raw GNU long names and pax
 * headers of any size, and a header whose size lies. tar-stream (archive-fixtures' tarOf)
 * writes everything else.
 */

/** One 512-byte tar header block (GNU magic), for entries tar-stream will not write. */
export function header(name: string, type: string, size: number): Buffer {
  const b = Buffer.alloc(512);
  b.write(name.slice(0, 100), 0, 'latin1');
  b.write('0000644\0', 100); b.write('0000000\0', 108); b.write('0000000\0', 116);
  b.write(size.toString(8).padStart(11, '0') + '\0', 124);
  b.write('00000000000\0', 136);
  b.write(type, 156);
  b.write('ustar  \0', 257);
  b.fill(' ', 148, 156);
  let sum = 0;
  for (const x of b) sum += x;
  b.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return b;
}
const pad = (data: Buffer) => Buffer.concat([data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
const END = Buffer.alloc(1024);

/** A GNU long name (`././@LongLink`, type L) of about the given length ending in mark, then a file under it. */
export function gnuLongName(length: number, mark: string): Buffer {
  const long = Buffer.from(`${'d/'.repeat(length / 2)}${mark}`);
  return Buffer.concat([header('././@LongLink', 'L', long.length), pad(long), header('x', '0', 1), pad(Buffer.from('x')), END]);
}

/** A pax extended header (type x) with a path record of about the given length ending in mark, then a file. */
export function paxPath(length: number, mark: string): Buffer {
  const value = `${'p/'.repeat(length / 2)}${mark}`;
  let rec = ` path=${value}\n`;
  rec = `${rec.length + String(rec.length).length} path=${value}\n`;
  const data = Buffer.from(rec);
  return Buffer.concat([header('PaxHeaders/x', 'x', data.length), pad(data), header('x', '0', 1), pad(Buffer.from('x')), END]);
}

/** A header that claims 8 GiB of data and is followed by none. */
export const lyingSize = () => Buffer.concat([header('big', '0', 0o77777777777), Buffer.alloc(512)]);

