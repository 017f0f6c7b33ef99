/** Registry endpoints of the Engine API: POST /auth and GET /images/search. */
import { encodeFilters } from './containers';
import type { Transport } from './transport';

export interface AuthBody { username?: string; password?: string; identitytoken?: string; serveraddress?: string }
export interface AuthResponse { Status: string; IdentityToken?: string }
export interface ImageSearchResult { description: string; is_official: boolean; is_automated: boolean; name: string; star_count: number }
export interface SearchQuery { term: string; limit?: number; filters?: Record<string, string[]>; registryAuth?: string }

export class RegistryApi {
  constructor(private readonly t: Transport) {}

  auth(body: AuthBody): Promise<AuthResponse> { return this.t.json('POST', '/auth', { body }); }

  search(q: SearchQuery): Promise<ImageSearchResult[]> {
    return this.t.json('GET', '/images/search', {
      query: { term: q.term, limit: q.limit, filters: encodeFilters(q.filters) },
      headers: q.registryAuth ? { 'X-Registry-Auth': q.registryAuth } : undefined,
    });
  }
}
