/**
 * Build arguments as Docker's builder keeps them (builder/dockerfile/buildargs.go): `--build-arg`
 * values, the ARGs a stage declared (only those are visible to it), the meta ARGs before the
 * first FROM (visible to FROM lines, and to a stage that re-declares them without a value),
 * and the predefined proxy args, usable without an ARG but left out of history unless declared.
 */

/** Usable without an ARG line, and not recorded in history unless declared. */
export const BUILTIN_ARGS = new Set(['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'FTP_PROXY', 'ftp_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy']);

export class BuildArgs {
  private allowed = new Map<string, string | undefined>();
  private readonly meta: Map<string, string | undefined>;
  /** Shared by every stage of one build: what `[Warning] ... were not consumed` leaves out. */
  private readonly referenced: Set<string>;

  /** fromOptions: `--build-arg` values; null is a name given without a value (and unset in the environment). */
  constructor(readonly fromOptions: ReadonlyMap<string, string | null>, meta?: Map<string, string | undefined>, referenced?: Set<string>) {
    this.meta = meta ?? new Map();
    this.referenced = referenced ?? new Set();
  }

  /** A stage's view: the meta ARGs and references shared, no ARG declared yet. */
  forStage(): BuildArgs {
    return new BuildArgs(this.fromOptions, new Map(this.meta), this.referenced);
  }

  /** `ARG key[=value]` in a stage. */
  addArg(key: string, value: string | undefined): void {
    this.allowed.set(key, value);
    this.referenced.add(key);
  }

  /** `ARG key[=value]` before the first FROM. */
  addMetaArg(key: string, value: string | undefined): void {
    this.allowed.set(key, value);
    this.meta.set(key, value);
    this.referenced.add(key);
  }

  /** A value Docker's builder computes itself (TARGETPLATFORM and friends): visible in FROM lines. */
  setAutomatic(key: string, value: string): void {
    this.meta.set(key, value);
  }

  private value(key: string, mapping: ReadonlyMap<string, string | undefined>): string | undefined {
    const given = this.fromOptions.get(key);
    if (given !== undefined && given !== null) return given;
    const def = mapping.get(key);
    if (def === undefined) return this.meta.get(key);
    return def;
  }

  private all(mapping: ReadonlyMap<string, string | undefined>): Map<string, string> {
    const out = new Map<string, string>();
    for (const key of new Set([...mapping.keys(), ...BUILTIN_ARGS])) {
      if (!mapping.has(key) && !(BUILTIN_ARGS.has(key) && this.fromOptions.get(key) != null)) continue;
      const v = this.value(key, mapping);
      if (v !== undefined) out.set(key, v);
    }
    return out;
  }

  /** The stage's declared ARGs (and given proxy args) with their values. */
  allowedValues(): Map<string, string> {
    return this.all(this.allowed);
  }

  /** The meta ARGs with their values: what FROM lines expand with. */
  metaValues(): Map<string, string> {
    return this.all(this.meta);
  }

  /** `K=V` for each allowed arg that env (`K=V` lines) does not set: the RUN's extra environment. */
  filterAllowed(env: readonly string[]): string[] {
    const set = new Set(env.map((e) => e.split('=', 1)[0]));
    const out: string[] = [];
    for (const [k, v] of this.allowedValues()) if (!set.has(k)) out.push(`${k}=${v}`);
    return out;
  }

  /** Declared, or not one of the proxy args: such an arg is written into a RUN's history. */
  isReferencedOrNotBuiltin(key: string): boolean {
    return this.allowed.has(key) || !BUILTIN_ARGS.has(key);
  }

  /** `--build-arg` names no ARG declared (Docker's unused build-args warning). */
  unused(): string[] {
    return [...this.fromOptions.keys()].filter((k) => !this.referenced.has(k) && !BUILTIN_ARGS.has(k)).sort();
  }
}
