/**
 * The docker CLI's credential store: `~/.docker/config.json` (or `$DOCKER_CONFIG/config.json`)
 * `auths` entries with base64 `user:pass` (or `identitytoken`), and `credHelpers[host]` /
 * `credsStore` helpers that hold the secret instead (the file then keeps an empty entry, as
 * docker's native store does). Docker Hub's key is `https://index.docker.io/v1/`; other
 * registries are keyed by host[:port], and lookups also accept keys written with a scheme.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { helperErase, helperGet, helperStore } from './credentials-helper';

export const INDEX_SERVER = 'https://index.docker.io/v1/';

export interface AuthConfig { username?: string; password?: string; identitytoken?: string; serveraddress: string }

interface ConfigFile {
  auths?: Record<string, { auth?: string; identitytoken?: string; email?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
  [k: string]: unknown;
}

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker'), 'config.json');
}

async function readConfig(path: string): Promise<ConfigFile> {
  try { return JSON.parse(await readFile(path, 'utf8')) as ConfigFile; } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(`loading config file ${path}: ${(e as Error).message}`, { cause: e });
  }
}

async function writeConfig(path: string, cfg: ConfigFile): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, JSON.stringify(cfg, null, '\t') + '\n', { mode: 0o600 });
  await rename(tmp, path);
}

/** Docker's ConvertToHostname: `https://host:5000/v2/` -> `host:5000`. */
export function hostnameOf(server: string): string {
  return server.replace(/^https?:\/\//, '').split('/')[0];
}

/** The config key for a registry address: the index URL for Docker Hub, else host[:port]. */
export function credentialKey(server: string | undefined): string {
  if (!server) return INDEX_SERVER;
  const host = hostnameOf(server);
  return ['docker.io', 'index.docker.io', 'registry-1.docker.io'].includes(host) ? INDEX_SERVER : host;
}

function helperFor(cfg: ConfigFile, key: string): string | undefined {
  return cfg.credHelpers?.[hostnameOf(key)] ?? cfg.credHelpers?.[key] ?? (cfg.credsStore || undefined);
}

/** The file key matching `key`: exact, or any key naming the same host. */
function fileKey(cfg: ConfigFile, key: string): string | undefined {
  if (cfg.auths?.[key]) return key;
  return Object.keys(cfg.auths ?? {}).find((k) => credentialKey(k) === key);
}

/** Whether a credential store exists for `server` (login's plain-text warning depends on it). */
export async function usesHelper(server: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  return !!helperFor(await readConfig(configPath(env)), credentialKey(server));
}

export async function getCredentials(server: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<AuthConfig | undefined> {
  const key = credentialKey(server);
  const cfg = await readConfig(configPath(env));
  const helper = helperFor(cfg, key);
  if (helper) {
    const c = await helperGet(helper, key);
    if (!c) return undefined;
    return c.Username === '<token>' ? { identitytoken: c.Secret, serveraddress: key } : { username: c.Username, password: c.Secret, serveraddress: key };
  }
  const k = fileKey(cfg, key);
  const entry = k ? cfg.auths?.[k] : undefined;
  if (!entry) return undefined;
  if (entry.identitytoken) return { identitytoken: entry.identitytoken, serveraddress: key, username: userOf(entry.auth) };
  if (!entry.auth) return undefined;
  const plain = Buffer.from(entry.auth, 'base64').toString('utf8');
  const i = plain.indexOf(':');
  if (i < 0) throw new Error(`invalid auth configuration file ${configPath(env)}`);
  return { username: plain.slice(0, i), password: plain.slice(i + 1), serveraddress: key };
}

function userOf(auth: string | undefined): string | undefined {
  return auth ? Buffer.from(auth, 'base64').toString('utf8').split(':')[0] : undefined;
}

export async function storeCredentials(a: AuthConfig, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const path = configPath(env);
  const cfg = await readConfig(path);
  const key = credentialKey(a.serveraddress);
  const helper = helperFor(cfg, key);
  cfg.auths ??= {};
  if (helper) {
    await helperStore(helper, { ServerURL: key, Username: a.identitytoken ? '<token>' : a.username ?? '', Secret: a.identitytoken || (a.password ?? '') });
    cfg.auths[key] = {};
  } else {
    cfg.auths[key] = { auth: Buffer.from(`${a.username ?? ''}:${a.password ?? ''}`).toString('base64'), ...(a.identitytoken ? { identitytoken: a.identitytoken } : {}) };
  }
  await writeConfig(path, cfg);
}

/** Removes every entry naming `server`; false when there was none (not logged in). */
export async function eraseCredentials(server: string | undefined, env: NodeJS.ProcessEnv = process.env, warn: (s: string) => void = () => {}): Promise<boolean> {
  const path = configPath(env);
  const cfg = await readConfig(path);
  const key = credentialKey(server);
  const keys = Object.keys(cfg.auths ?? {}).filter((k) => k === key || credentialKey(k) === key);
  if (!keys.length) return false;
  for (const k of keys) {
    const helper = helperFor(cfg, k);
    if (helper) await helperErase(helper, k).catch((e: Error) => warn(`WARNING: could not erase credentials: ${e.message}\n`));
    delete cfg.auths![k];
  }
  await writeConfig(path, cfg);
  return true;
}

/**
 * The X-Registry-Auth header for pushing or pulling `ref` (base64url JSON AuthConfig), or
 * undefined when config.json holds nothing for its registry.
 */
export async function registryAuthHeader(ref: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const creds = await getCredentials(registryOf(ref), env);
  return creds ? encodeAuthConfig(creds) : undefined;
}

function encodeAuthConfig(a: AuthConfig): string {
  return Buffer.from(JSON.stringify(a)).toString('base64url');
}

/** The registry part of an image reference (Docker's splitDockerDomain); docker.io when none. */
export function registryOf(ref: string): string {
  const i = ref.indexOf('/');
  const first = i < 0 ? '' : ref.slice(0, i);
  return first && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : 'docker.io';
}
