/**
 * The Dockerfile parser's contract: the parse tree (buildkit's parser.Node), the typed
 * instructions grouped into stages, and the variable expander the executor applies at
 * build time. Pure data; no I/O anywhere in builder/dockerfile/.
 *
 * Errors: every parse failure is an errdefs InvalidArgument whose message carries the
 * Dockerfile line in Docker's words, e.g. `dockerfile parse error on line 3: unknown
 * instruction: FOO` (see errors.ts for the exact forms).
 *
 * Lines are 1-based and inclusive; `endLine` > `line` for continuations and heredocs.
 */

// ---------------------------------------------------------------- parse tree

/** A heredoc attached to an instruction line (`RUN <<EOF`, `COPY <<-"EOF" /dst`). */
export interface Heredoc {
  /** The delimiter word, unquoted (`EOF`). */
  name: string;
  /** The fd it feeds (`3<<EOF`); 0 when none was written. */
  fileDescriptor: number;
  /** False when the delimiter was quoted (`<<"EOF"`, `<<'EOF'`): no variable expansion inside. */
  expand: boolean;
  /** `<<-EOF`: leading tabs are to be stripped from each body line (the terminator line
   * matched after stripping them). */
  chomp: boolean;
  /** The body as written, every line with its "\n" (tabs NOT stripped here; the typed
   * instructions' InlineFile/SourceContent data are). */
  content: string;
}

/**
 * A parse tree node, as buildkit's parser.Node. The root's `children` are the
 * instructions; an instruction node's `value` is the keyword as written and its `next`
 * chain holds the arguments (one node per word for most instructions, key/value nodes for
 * ENV/LABEL/ARG, a single node for shell-form RUN/CMD/ENTRYPOINT, an ONBUILD's trigger as
 * a child node).
 */
export interface Node {
  value: string;
  next?: Node;
  children: Node[];
  heredocs: Heredoc[];
  /** buildkit's Attributes["json"]: the arguments were written in JSON (exec) form. */
  json: boolean;
  /** The instruction's source text: continuation lines joined without their escape
   * token and newline, comment lines inside them dropped. Untrimmed. */
  original: string;
  /** `--name=value` flags written before the arguments, as written (`--from=build`). */
  flags: string[];
  startLine: number;
  endLine: number;
  /** `#` comment lines directly above the instruction, without the `#`. */
  prevComment: string[];
}

/** Parser directives: `# syntax=`, `# escape=`, `# check=` lines at the very top. */
export interface Directives {
  syntax?: string;
  escape?: string;
  check?: string;
}

/** A non-fatal finding (buildkit's lint/parse warnings), e.g. an empty continuation line. */
export interface Warning {
  message: string;
  line: number;
}

/** The raw parse (parser.ts `parse(text)`). */
export interface ParseResult {
  ast: Node;
  directives: Directives;
  /** `\` unless `# escape=` chose "`". */
  escapeToken: string;
  warnings: Warning[];
}

// ---------------------------------------------------------------- instructions

/** Common to every instruction. */
interface InstructionBase {
  line: number;
  endLine: number;
  /** The instruction's source text, trimmed: what `Step N/M : <original>` prints. */
  original: string;
}

export interface KeyValue {
  key: string;
  value: string;
}

/** An ARG definition: `ARG name` (value undefined) or `ARG name=default`. */
export interface ArgDef {
  key: string;
  value?: string;
}

/** A heredoc a RUN feeds its command (buildkit's ShellInlineFile). */
export interface InlineFile {
  name: string;
  /** The body, leading tabs already stripped when `chomp`. */
  data: string;
  chomp: boolean;
  /** False for a quoted delimiter: the executor must not expand `data`. */
  expand: boolean;
}

/** A heredoc used as a COPY/ADD source (buildkit's SourceContent): a file named `path`. */
export interface SourceContent {
  path: string;
  /** The body, leading tabs already stripped for `<<-`. */
  data: string;
  /** True for an unquoted delimiter: expandInstruction expands ARG/ENV values in `data`. */
  expand: boolean;
}

export type MountType = 'bind' | 'cache' | 'tmpfs' | 'secret' | 'ssh';
export type CacheSharing = 'shared' | 'private' | 'locked';

/** One `RUN --mount=...` (buildkit's instructions.Mount), defaults applied. Parsed at parse
 * time without expansion (fields holding `$` left unset); expandInstruction re-parses. */
export interface RunMount {
  type: MountType;
  /** Stage name or image for bind/cache sources; variables are refused in it. */
  from?: string;
  source?: string;
  target?: string;
  /** Default: true for bind/secret/ssh, false for cache/tmpfs. */
  readOnly: boolean;
  /** tmpfs `size=` in bytes. */
  sizeLimit?: number;
  /** cache `id=` or secret `id=`. */
  id?: string;
  sharing?: CacheSharing;
  /** secret/ssh `required`. */
  required: boolean;
  /** secret `env=`: expose the secret as this environment variable. */
  env?: string;
  mode?: number;
  uid?: number;
  gid?: number;
}

/** RUN: `shell` true for shell form (`/bin/sh -c <cmd[0]>`), false for exec (JSON) form. */
export interface RunInstruction extends InstructionBase {
  kind: 'run';
  shell: boolean;
  cmd: string[];
  /** Heredocs of the line. When shell form and cmd[0] is only the heredoc marker
   * (`RUN <<EOF`), buildkit runs the first heredoc's body as the script; otherwise each
   * is fed to the command as a file (see dockerfile2llb dispatchRun). */
  heredocs: InlineFile[];
  /** Parsed from `mountSpecs` without expansion; expandInstruction re-parses them. */
  mounts: RunMount[];
  /** The raw `--mount` values, as written. */
  mountSpecs: string[];
  network?: 'default' | 'none' | 'host';
  security?: 'sandbox' | 'insecure';
}

/** CMD / ENTRYPOINT: exec form (`shell` false, JSON array) or shell form (one string). */
export interface CmdInstruction extends InstructionBase {
  kind: 'cmd';
  shell: boolean;
  cmd: string[];
}
export interface EntrypointInstruction extends InstructionBase {
  kind: 'entrypoint';
  shell: boolean;
  cmd: string[];
}

/** Fields shared by COPY and ADD. */
interface CopyLike extends InstructionBase {
  /** Context paths (or URLs/git for ADD), unexpanded; heredoc sources are in `heredocs`. */
  sources: string[];
  dest: string;
  heredocs: SourceContent[];
  chown?: string;
  chmod?: string;
  link: boolean;
  exclude: string[];
}
export interface CopyInstruction extends CopyLike {
  kind: 'copy';
  /** `--from=<stage name | stage index | image>`, never expanded (Docker 20.10 takes it
   * literally; buildkit refuses variables in it). */
  from?: string;
  parents: boolean;
}
export interface AddInstruction extends CopyLike {
  kind: 'add';
  /** `--checksum=sha256:...` for URL sources. */
  checksum?: string;
  /** `--keep-git-dir` for git sources. */
  keepGitDir?: boolean;
  /** `--unpack` (buildkit); undefined: unpack local archives, never URLs. */
  unpack?: boolean;
}

export interface FromInstruction extends InstructionBase {
  kind: 'from';
  /** Unexpanded; `scratch`, an earlier stage's name, or an image reference. */
  image: string;
  /** `AS name`, lower-cased as buildkit does (stage names match case-insensitively). */
  stageName?: string;
  platform?: string;
}

export interface EnvInstruction extends InstructionBase {
  kind: 'env';
  pairs: KeyValue[];
}
export interface LabelInstruction extends InstructionBase {
  kind: 'label';
  pairs: KeyValue[];
}
export interface ArgInstruction extends InstructionBase {
  kind: 'arg';
  args: ArgDef[];
}
export interface MaintainerInstruction extends InstructionBase {
  kind: 'maintainer';
  maintainer: string;
}
export interface ExposeInstruction extends InstructionBase {
  kind: 'expose';
  /** As written (`80`, `53/udp`, `${PORT}`); expanded with processWords at build time. */
  ports: string[];
}
export interface VolumeInstruction extends InstructionBase {
  kind: 'volume';
  volumes: string[];
}
export interface UserInstruction extends InstructionBase {
  kind: 'user';
  user: string;
}
export interface WorkdirInstruction extends InstructionBase {
  kind: 'workdir';
  path: string;
}
export interface StopSignalInstruction extends InstructionBase {
  kind: 'stopsignal';
  signal: string;
}
export interface ShellInstruction extends InstructionBase {
  kind: 'shell';
  shell: string[];
}

/** ONBUILD: the trigger's text without the `ONBUILD` keyword (`RUN echo hi`; heredoc
 * bodies appended as lines), as Docker stores it in the image config's OnBuild list. Parse
 * it with parseInstructionText when a child build runs it (then expand as that instruction). */
export interface OnbuildInstruction extends InstructionBase {
  kind: 'onbuild';
  expression: string;
}

/**
 * HEALTHCHECK, as the image config stores it. `test` is `['NONE']` for HEALTHCHECK NONE,
 * `['CMD', ...args]` for exec form, `['CMD-SHELL', cmd]` for shell form. Durations are in
 * nanoseconds (the image config's unit); 0 / undefined means "inherit the default".
 */
export interface HealthConfig {
  test: string[];
  interval?: number;
  timeout?: number;
  startPeriod?: number;
  startInterval?: number;
  retries?: number;
}
export interface HealthcheckInstruction extends InstructionBase {
  kind: 'healthcheck';
  health: HealthConfig;
}

export type Instruction =
  | FromInstruction
  | RunInstruction
  | CmdInstruction
  | EntrypointInstruction
  | CopyInstruction
  | AddInstruction
  | EnvInstruction
  | LabelInstruction
  | ArgInstruction
  | MaintainerInstruction
  | ExposeInstruction
  | VolumeInstruction
  | UserInstruction
  | WorkdirInstruction
  | StopSignalInstruction
  | ShellInstruction
  | OnbuildInstruction
  | HealthcheckInstruction;

export type InstructionKind = Instruction['kind'];

/** One build stage: its FROM and the instructions up to the next FROM. */
export interface Stage {
  /** `AS name`, lower-cased. */
  name?: string;
  /** FROM's image word, unexpanded: expand with the meta ARGs (expandInstruction on `from`). */
  baseName: string;
  platform?: string;
  /** The stage's instructions, without its FROM. */
  commands: Instruction[];
  /** The FROM instruction itself (for `Step N/M : FROM ...`). */
  from: FromInstruction;
  line: number;
}

/** parseDockerfile(text)'s result. */
export interface Dockerfile {
  stages: Stage[];
  /** ARGs before the first FROM: usable only in FROM lines (and re-declared inside stages). */
  metaArgs: ArgInstruction[];
  escapeToken: string;
  directives: Directives;
  warnings: Warning[];
}

// ---------------------------------------------------------------- expansion

/**
 * Variable lookup for expansion: the value, or undefined when the name is not set
 * (an empty string is "set but empty", which matters for `${v:-w}` vs `${v-w}`).
 */
export type EnvLookup = (name: string) => string | undefined;

export interface ExpandOptions {
  /** `\` (default) or "`" from the `# escape=` directive. */
  escapeToken?: string;
  /** Keep `$name` / `${name}` literally when the name is unset (instead of ""). */
  skipUnsetEnv?: boolean;
}

/** expandWithMatches' result: the names looked up and found, and those found unset. */
export interface ExpandResult {
  value: string;
  matched: Set<string>;
  unmatched: Set<string>;
}

/**
 * When expansion happens (buildkit's SupportsSingleWordExpansion + dispatch, Docker's
 * legacy evaluator): NOT at parse time, because ARG and ENV values are known only while
 * the build runs. The executor calls `expandInstruction(instr, lookup)` with the stage's
 * current ARG+ENV values before dispatching each instruction; it expands:
 *
 * - FROM: image and --platform, with the meta ARGs (before the first FROM) only;
 * - ENV, LABEL: keys and values;
 * - ARG: defaults only (names never). Docker expands a default only when no --build-arg
 *   gives the value: use the build arg as is, else `expand(def.value)`; an error in an
 *   overridden default is ignored;
 * - ADD, COPY: sources, dest, --chown, --chmod, ADD --checksum, and the bodies of heredoc
 *   sources with an unquoted delimiter (variables only: quotes and escapes stay);
 *   COPY --from and --exclude never;
 * - EXPOSE: each word, split again into words (processWords);
 * - USER, WORKDIR, VOLUME, STOPSIGNAL: their words;
 * - RUN: only the --mount values (the command itself is the shell's to expand, RUN
 *   heredoc bodies too);
 * - ONBUILD triggers: as their own instruction, in the child build.
 *
 * Not expanded: RUN/CMD/ENTRYPOINT commands, SHELL, HEALTHCHECK, MAINTAINER, ONBUILD's
 * stored text. Errors: DockerfileParseError at the instruction's line, message
 * `failed to process "<word>": <reason>`.
 */
export type ExpandInstruction = (instr: Instruction, lookup: EnvLookup, opts?: ExpandOptions) => Instruction;
