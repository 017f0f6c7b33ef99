import { imageIdOf, type HistoryEntry, type ImageConfig } from '../../core/images';
import { InvalidArgument } from '../../errdefs';
import type { Digest } from '../../lib/digest';
import type { ImagePlan } from './load-plan';

/** A history time as nanoseconds since the epoch (RFC 3339, any fraction and offset), or the text when it is not one. */
function instant(created: string | undefined): bigint | string | undefined {
  if (created === undefined) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/i.exec(created);
  const ms = m ? Date.parse(`${m[1]}${m[3].toUpperCase()}`) : NaN;
  if (!m || Number.isNaN(ms)) return created;
  return BigInt(ms) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}

/** One history row as moby's image.History holds it: absent fields are zero values, times compare as instants. */
function sameRow(p: HistoryEntry, c: HistoryEntry): boolean {
  return instant(p.created) === instant(c.created)
    && (p.author ?? '') === (c.author ?? '')
    && (p.created_by ?? '') === (c.created_by ?? '')
    && (p.comment ?? '') === (c.comment ?? '')
    && Boolean(p.empty_layer) === Boolean(c.empty_layer);
}

/**
 * moby's checkValidParent: the parent's history is the child's but for the child's last row
 * (both without history passes too). The rootfs is not compared, as Docker does not.
 */
export function isValidParent(child: ImageConfig, parent: ImageConfig): boolean {
  const hc = child.history ?? [];
  const hp = parent.history ?? [];
  if (!hc.length && !hp.length) return true;
  if (hc.length - hp.length !== 1) return false;
  return hp.every((row, i) => sameRow(row, hc[i]));
}

/**
 * The Parent each plan's manifest.json entry names, as `docker load` restores them: kept only
 * when the parent is another image of the same archive (moby's validatedParentLinks), then
 * checked (an InvalidArgument in Docker's words when it is no valid parent). Indexed as plans.
 */
export function parentLinks(plans: ImagePlan[]): Array<Digest | undefined> {
  const ids = plans.map((p) => imageIdOf(p.configBytes) as Digest);
  const configs = plans.map((p) => JSON.parse(p.configBytes.toString('utf8')) as ImageConfig);
  return plans.map((plan, i) => {
    const j = plan.parent === undefined ? -1 : ids.indexOf(plan.parent as Digest);
    if (j < 0 || ids[j] === ids[i]) return undefined;
    if (!isValidParent(configs[i], configs[j])) throw new InvalidArgument(`image ${ids[j]} is not a valid parent for ${ids[i]}`);
    return ids[j];
  });
}
