import { InvalidArgument } from '../../errdefs';

/** The `local` driver's options: a filesystem to mount over the volume's data dir. */
export interface LocalOptions { type?: string; device?: string; o?: string }

const VALID = ['type', 'device', 'o'];
/** Each option that needs others with it, checked in this order. */
const REQUIRES: [string, string][] = [['type', 'device'], ['o', 'device'], ['device', 'type']];

/**
 * Checks `-o` options as Docker's local driver does: only type, device and o, and type or o
 * only with a device (and a device only with a type). InvalidArgument in Docker's words.
 */
export function parseLocalOptions(opts: Record<string, string> | null | undefined): LocalOptions | undefined {
  if (!opts || Object.keys(opts).length === 0) return undefined;
  for (const k of Object.keys(opts)) if (!VALID.includes(k)) throw new InvalidArgument(`invalid option: ${JSON.stringify(k)}`);
  for (const [k, needs] of REQUIRES) {
    if (k in opts && !(needs in opts)) throw new InvalidArgument(`missing required option: ${JSON.stringify(needs)}`);
  }
  return { type: opts.type, device: opts.device, o: opts.o };
}
