import type { HostConfig } from './types';
import { parseApiMount, parseBindSpec, type ApiMount } from './mounting';

/**
 * Checks the mount settings early at create time, before the image is looked up: every `-v`
 * and `--mount` parses (Docker's errors). The whole plan, `--volumes-from` and the image's
 * volumes included, is made in ./mounting once the image is known.
 */
export function validateHostMounts(hc: Partial<HostConfig>): void {
  for (const b of hc.Binds ?? []) parseBindSpec(b, (hc.VolumeDriver as string | undefined) ?? '');
  for (const m of (hc.Mounts as ApiMount[] | null | undefined) ?? []) parseApiMount(m);
}
