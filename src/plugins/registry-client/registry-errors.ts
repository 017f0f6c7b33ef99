/** A registry's error answer as Docker words it (`manifest unknown: manifest unknown`). */
import type { IncomingMessage } from 'node:http';
import { Forbidden, Internal, NotFound, Unauthorized, Unavailable } from '../../errdefs';
import { readBody } from './http';

interface RegistryErrorBody { errors?: Array<{ code?: string; message?: string }> }

/** `MANIFEST_UNKNOWN` + message -> `manifest unknown: <message>`; the codes, for callers' decisions. */
export async function registryError(res: IncomingMessage, what: string): Promise<Error & { registryCodes?: string[]; status?: number }> {
  const text = (await readBody(res).catch(() => Buffer.alloc(0))).toString('utf8');
  let codes: string[] = [];
  let message: string;
  try {
    const j = JSON.parse(text) as RegistryErrorBody;
    codes = (j.errors ?? []).map((e) => e.code ?? 'UNKNOWN');
    message = (j.errors ?? []).map((e) => `${(e.code ?? 'unknown').toLowerCase().replace(/_/g, ' ')}: ${e.message ?? ''}`).join(', ');
    if (!message) throw new Error('no errors');
  } catch {
    const s = res.statusCode ?? 0;
    message = s === 401 ? 'unauthorized: authentication required' : s === 404 ? 'not found' : `${what}: unexpected status ${s} ${res.statusMessage ?? ''}`.trim();
  }
  const s = res.statusCode ?? 0;
  const E = s === 404 ? NotFound : s === 401 ? Unauthorized : s === 403 ? Forbidden : s >= 500 ? Unavailable : Internal;
  return Object.assign(new E(message), { registryCodes: codes, status: s });
}
