/**
 * `GET /containers/json` filters as dockerd applies them (daemon/list.go): values of one key
 * are alternatives, keys all have to match. Unknown keys and bad values are InvalidArgument in
 * Docker's words; `before`/`since` naming no container are NotFound.
 */
import { InvalidArgument, NotFound } from '../../errdefs';
import { effectiveNetworkMode, type ContainerRecord } from './types';
import { containerNetworks } from './container-networks';
import { endpointsOf } from '../../core/network';
import { usesVolume } from './mounting';

const STATES = ['created', 'restarting', 'running', 'removing', 'paused', 'exited', 'dead'];
const HEALTH = ['starting', 'healthy', 'unhealthy', 'none'];
const KEYS = ['id', 'name', 'status', 'exited', 'label', 'ancestor', 'network', 'before', 'since', 'volume', 'health', 'is-task', 'publish', 'expose'];

export interface ListFilterDeps {
  /** The container a name or ID prefix names; throws NotFound otherwise. */
  find(ref: string): ContainerRecord | undefined;
  /** The image ID a reference or ID prefix names, or undefined when there is none. */
  imageId(ref: string): Promise<string | undefined>;
}

/** Checks the filters and prepares what they need; the result tests one record. */
export async function containerFilter(filters: Map<string, string[]>, deps: ListFilterDeps): Promise<(rec: ContainerRecord) => boolean> {
  for (const [key, values] of filters) {
    if (!KEYS.includes(key)) throw new InvalidArgument(`Invalid filter '${key}'`);
    for (const v of values) {
      if (key === 'status' && !STATES.includes(v)) throw new InvalidArgument(`Invalid filter 'status=${v}'`);
      if (key === 'health' && !HEALTH.includes(v)) throw new InvalidArgument(`Unrecognised filter value for health: ${v}`);
      if (key === 'exited' && !/^[+-]?\d+$/.test(v)) throw new InvalidArgument(`strconv.Atoi: parsing ${JSON.stringify(v)}: invalid syntax`);
    }
  }
  const created = (ref: string) => {
    const r = deps.find(ref);
    if (!r) throw new NotFound(`no such container ${ref}`);
    return Date.parse(r.created);
  };
  const before = (filters.get('before') ?? []).map(created);
  const since = (filters.get('since') ?? []).map(created);
  const ancestors = new Set<string>();
  for (const v of filters.get('ancestor') ?? []) { const id = await deps.imageId(v); if (id) ancestors.add(id); }

  return (rec) => {
    const t = Date.parse(rec.created);
    for (const [key, values] of filters) {
      // Docker ANDs label filters (MatchKVList) and ORs every other key's values
      const ok = values[key === 'label' ? 'every' : 'some']((v, i) => {
        switch (key) {
          case 'id': return rec.id.startsWith(v);
          case 'name': return new RegExp(v).test(rec.name) || new RegExp(v).test(`/${rec.name}`);
          case 'status': return rec.state.status === v;
          case 'exited': return rec.state.status === 'exited' && rec.state.finishedAt !== '0001-01-01T00:00:00Z' && rec.state.exitCode === Number(v);
          case 'label': {
            const eq = v.indexOf('=');
            const k = eq < 0 ? v : v.slice(0, eq);
            return k in (rec.config.Labels ?? {}) && (eq < 0 || rec.config.Labels[k] === v.slice(eq + 1));
          }
          case 'ancestor': return ancestors.has(rec.imageId);
          case 'network': {
            // Docker matches the name of any network the container is on, or an ID prefix.
            const nets = containerNetworks(rec);
            const ids = [...Object.values(nets).map((c) => c.NetworkID ?? ''), ...endpointsOf(rec.sandbox).map((e) => e.networkId)];
            return effectiveNetworkMode(rec.hostConfig) === v || v in nets || ids.some((id) => !!id && id.startsWith(v));
          }
          case 'before': return t < before[i];
          case 'since': return t > since[i];
          case 'volume': return usesVolume(rec, v);
          case 'health': {
            const h = rec.health?.Status;
            return v === 'none' ? !rec.config.Healthcheck || !h : h === v;
          }
          default: return true;
        }
      });
      if (!ok) return false;
    }
    return true;
  };
}
