/**
 * GET /images/search: Docker Hub's search API for docker.io terms, and a registry's
 * `/v2/_catalog` (names containing the term's remainder) for `host[:port]/term`, with
 * Docker's filters (stars, is-official, is-automated) and limit (1..100, default 25).
 */
import { Internal, InvalidArgument, Unauthorized } from '../../errdefs';
import type { RegistryAuth, RegistryCredentials } from '../../core/remotes';
import { DOCKER_HUB, canonicalHost, type EndpointResolver } from './endpoint-config';
import { TransportError, registryGet, rawGet } from './registry-http';

export interface SearchResult { description: string; is_official: boolean; is_automated: boolean; name: string; star_count: number }

export interface SearchOptions {
  term: string;
  limit?: number;
  filters?: Map<string, string[]>;
  /** Credentials for a private registry's catalog (the request's X-Registry-Auth). */
  auth?: RegistryAuth;
}

export interface SearchDeps {
  endpoints: EndpointResolver;
  /** Docker Hub's index (`https://index.docker.io`); tests point it at a fake. */
  hubIndex?: string;
}

const FILTERS = ['stars', 'is-official', 'is-automated'];

export async function searchImages(deps: SearchDeps, opts: SearchOptions): Promise<SearchResult[]> {
  const limit = opts.limit || 25;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new InvalidArgument(`Limit ${opts.limit} is outside the range of [1, 100]`);
  const keep = filterOf(opts.filters ?? new Map());
  const { host, rest } = splitTerm(opts.term);
  const found = host === DOCKER_HUB
    ? await hubSearch(deps, rest, limit)
    : await catalogSearch(deps.endpoints, host, rest, await opts.auth?.credentialsFor(host));
  return found.filter(keep).slice(0, limit);
}

/** Docker's splitReposSearchTerm: a first component with `.` or `:` (or `localhost`) names the registry. */
export function splitTerm(term: string): { host: string; rest: string } {
  const i = term.indexOf('/');
  if (i < 0) return { host: DOCKER_HUB, rest: term };
  const first = term.slice(0, i);
  if (!first.includes('.') && !first.includes(':') && first !== 'localhost') return { host: DOCKER_HUB, rest: term };
  return { host: canonicalHost(first), rest: term.slice(i + 1) };
}

function filterOf(filters: Map<string, string[]>): (r: SearchResult) => boolean {
  for (const key of filters.keys()) if (!FILTERS.includes(key)) throw new InvalidArgument(`Invalid filter '${key}'`);
  const bool = (key: string): boolean | undefined => {
    const v = filters.get(key);
    if (!v?.length) return undefined;
    const last = v[v.length - 1];
    if (last !== 'true' && last !== 'false') throw new InvalidArgument(`Invalid filter '${key}=${last}'`);
    return last === 'true';
  };
  const official = bool('is-official');
  const automated = bool('is-automated');
  let stars = 0;
  for (const s of filters.get('stars') ?? []) {
    if (!/^\d+$/.test(s)) throw new InvalidArgument(`Invalid filter 'stars=${s}'`);
    stars = Math.max(stars, Number(s));
  }
  return (r) => (official === undefined || r.is_official === official)
    && (automated === undefined || r.is_automated === automated)
    && r.star_count >= stars;
}

async function hubSearch(deps: SearchDeps, term: string, limit: number): Promise<SearchResult[]> {
  const base = (deps.hubIndex ?? 'https://index.docker.io').replace(/\/+$/, '');
  const url = `${base}/v1/search?q=${encodeURIComponent(term)}&n=${limit}`;
  const ep = { url: base, host: DOCKER_HUB, mirror: false };
  const res = await rawGet(url, ep).catch((e: unknown) => { throw e instanceof TransportError ? new Internal(e.message, { cause: e }) : e; });
  if (res.status !== 200) throw new InvalidArgument(`Unexpected status code ${res.status}`);
  const body = JSON.parse(res.body.toString('utf8')) as { results?: SearchResult[] };
  return (body.results ?? []).map((r) => ({
    description: r.description ?? '', is_official: !!r.is_official, is_automated: !!r.is_automated, name: r.name, star_count: r.star_count ?? 0,
  }));
}

async function catalogSearch(resolver: EndpointResolver, host: string, term: string, creds?: RegistryCredentials): Promise<SearchResult[]> {
  let lastErr: unknown;
  for (const ep of (await resolver.endpoints(host)).filter((e) => !e.mirror)) {
    try {
      const names: string[] = [];
      let path: string | undefined = '/v2/_catalog?n=1000';
      while (path) {
        const res = await registryGet(ep, path, { creds, scope: 'registry:catalog:*' });
        if (res.status === 401) throw new Unauthorized(`unauthorized: authentication required`);
        if (res.status !== 200) throw new InvalidArgument(`Get "${res.url}": unexpected status code ${res.status} ${res.statusText}`);
        names.push(...((JSON.parse(res.body.toString('utf8')) as { repositories?: string[] }).repositories ?? []));
        const link = /<([^>]+)>;\s*rel="next"/.exec(String(res.headers.link ?? ''));
        path = link ? new URL(link[1], ep.url).pathname + new URL(link[1], ep.url).search : undefined;
      }
      return names.filter((n) => n.includes(term)).map((n) => ({
        description: '', is_official: false, is_automated: false, name: `${host}/${n}`, star_count: 0,
      }));
    } catch (e) {
      if (!(e instanceof TransportError)) throw e;
      lastErr = e;
    }
  }
  throw new Internal((lastErr as Error)?.message ?? `no endpoint for ${host}`, { cause: lastErr });
}
