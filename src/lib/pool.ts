/** Runs fns with at most n at once; onFail hears the first error; every one settles before it is thrown. */
export async function pool<T>(n: number, fns: Array<() => Promise<T>>, onFail?: () => void): Promise<T[]> {
  const out: T[] = new Array(fns.length);
  let next = 0;
  let failed: unknown;
  const worker = async () => {
    while (next < fns.length) {
      const i = next++;
      if (failed !== undefined) continue;
      try { out[i] = await fns[i](); } catch (err) {
        if (failed === undefined) { failed = err; onFail?.(); }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, fns.length) }, worker));
  if (failed !== undefined) throw failed;
  return out;
}
