import { InvalidArgument } from '../../errdefs';

/**
 * Docker image references (distribution/reference grammar): parsing, normalisation to the
 * full form (`docker.io/library/busybox:latest`) and the familiar display form (`busybox:latest`).
 */
export interface Reference {
  /** Registry host[:port], `docker.io` by default. */
  domain: string;
  /** Repository path inside the registry (`library/busybox`). */
  path: string;
  tag?: string;
  digest?: string;
}

export const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DOMAIN = 'index.docker.io';
const OFFICIAL_PREFIX = 'library/';
export const DEFAULT_TAG = 'latest';

const alnum = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alnum}(?:${separator}${alnum})*`;
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domainName = `${domainComponent}(?:\\.${domainComponent})*`;
const host = `(?:${domainName}|\\[(?:[a-fA-F0-9:]+)\\])`;
const domainAndPort = `${host}(?::[0-9]+)?`;
const tagPat = '[\\w][\\w.-]{0,127}';
const digestPat = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const namePat = `(?:${domainAndPort}/)?${pathComponent}(?:/${pathComponent})*`;
const REFERENCE_RE = new RegExp(`^(${namePat})(?::(${tagPat}))?(?:@(${digestPat}))?$`);
const ANCHORED_ID_RE = /^[a-f0-9]{64}$/;
const TAG_RE = new RegExp(`^${tagPat}$`);
const NAME_MAX = 255;

export const INVALID_FORMAT = 'invalid reference format';

function splitDockerDomain(name: string): { domain: string; remainder: string } {
  const i = name.indexOf('/');
  let domain: string;
  let remainder: string;
  const first = i === -1 ? '' : name.slice(0, i);
  if (i === -1 || (!/[.:]/.test(first) && first !== 'localhost' && first.toLowerCase() === first)) {
    domain = DEFAULT_DOMAIN;
    remainder = name;
  } else {
    domain = first;
    remainder = name.slice(i + 1);
  }
  if (domain === LEGACY_DOMAIN) domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && !remainder.includes('/')) remainder = OFFICIAL_PREFIX + remainder;
  return { domain, remainder };
}

/**
 * Parses a user-given reference the way `docker` does (ParseNormalizedNamed).
 * Throws InvalidArgument with Docker's message text on a malformed reference.
 */
export function parseReference(s: string): Reference {
  if (ANCHORED_ID_RE.test(s)) {
    throw new InvalidArgument(`invalid repository name (${s}), cannot specify 64-byte hexadecimal strings`);
  }
  if (s === '') throw new InvalidArgument(`${INVALID_FORMAT}: repository name must have at least one component`);
  const { domain, remainder } = splitDockerDomain(s);
  const tagSep = remainder.indexOf(':');
  const remoteName = tagSep === -1 ? remainder : remainder.slice(0, tagSep);
  if (remoteName.toLowerCase() !== remoteName) {
    throw new InvalidArgument(`${INVALID_FORMAT}: repository name (${remoteName}) must be lowercase`);
  }
  const m = REFERENCE_RE.exec(`${domain}/${remainder}`);
  if (!m) throw new InvalidArgument(INVALID_FORMAT);
  const name = m[1];
  if (name.length > NAME_MAX) throw new InvalidArgument(`${INVALID_FORMAT}: repository name must not be more than ${NAME_MAX} characters`);
  const ref: Reference = { domain, path: name.slice(domain.length + 1) };
  if (m[2] !== undefined) ref.tag = m[2];
  if (m[3] !== undefined) {
    if (!m[3].startsWith('sha256:') || !/^sha256:[a-f0-9]{64}$/.test(m[3])) {
      throw new InvalidArgument(`${INVALID_FORMAT}: invalid digest ${m[3]}`);
    }
    ref.digest = m[3];
  }
  return ref;
}

/** parseReference plus the default `latest` tag when neither tag nor digest was given. */
export function parseNormalized(s: string): Reference {
  const ref = parseReference(s);
  if (!ref.tag && !ref.digest) ref.tag = DEFAULT_TAG;
  return ref;
}

export function isValidTag(tag: string): boolean {
  return TAG_RE.test(tag);
}

/** Full repository name: `docker.io/library/busybox`. */
export function fullName(ref: Pick<Reference, 'domain' | 'path'>): string {
  return `${ref.domain}/${ref.path}`;
}

/** Familiar repository name: `busybox`, `foo/bar`, `localhost:5000/x`. */
export function familiarName(ref: Pick<Reference, 'domain' | 'path'>): string {
  if (ref.domain !== DEFAULT_DOMAIN) return fullName(ref);
  if (ref.path.startsWith(OFFICIAL_PREFIX) && !ref.path.slice(OFFICIAL_PREFIX.length).includes('/')) {
    return ref.path.slice(OFFICIAL_PREFIX.length);
  }
  return ref.path;
}

function suffix(ref: Reference): string {
  return (ref.tag ? `:${ref.tag}` : '') + (ref.digest ? `@${ref.digest}` : '');
}

/** `docker.io/library/busybox:latest` */
export function formatFull(ref: Reference): string {
  return fullName(ref) + suffix(ref);
}

/** `busybox:latest` */
export function formatFamiliar(ref: Reference): string {
  return familiarName(ref) + suffix(ref);
}

/** Normalises a string reference to its full form with the default tag (`busybox` -> `docker.io/library/busybox:latest`). */
export function normalize(s: string): string {
  return formatFull(parseNormalized(s));
}

/** The familiar form of a full reference string (`docker.io/library/busybox:latest` -> `busybox:latest`). */
export function familiar(s: string): string {
  return formatFamiliar(parseReference(s));
}
