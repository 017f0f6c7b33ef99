/**
 * `.env` and `env_file` contents as compose reads them: `KEY=VALUE` lines, `#` comments,
 * an optional `export ` prefix, single quotes literal, double quotes with `\n` escapes,
 * unquoted values cut at ` #`. A bare `KEY` takes the value from `lookup` (or is left out).
 */
export function parseEnvFile(text: string, lookup: (k: string) => string | undefined = () => undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const body = line.replace(/^export\s+/, '');
    const eq = body.indexOf('=');
    if (eq < 0) {
      const v = lookup(body);
      if (v !== undefined) out[body] = v;
      continue;
    }
    const key = body.slice(0, eq).trim();
    let value = body.slice(eq + 1).trim();
    if (value.startsWith("'") && value.lastIndexOf("'") > 0) value = value.slice(1, value.lastIndexOf("'"));
    else if (value.startsWith('"') && value.lastIndexOf('"') > 0) {
      value = value.slice(1, value.lastIndexOf('"')).replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    } else value = value.replace(/\s+#.*$/, '');
    out[key] = value;
  }
  return out;
}
