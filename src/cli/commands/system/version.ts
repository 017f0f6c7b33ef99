/** `berth version`: client and server versions, in docker's layout. */
import type { Command } from 'commander';
import { API_VERSION } from '../../../engine-api';
import type { VersionInfo } from '../../../client';
import { checkArgs, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { clientVersion } from '../../build-info';
import { renderTemplate } from '../../formatters/go-template';
import { tabwrite } from '../../formatters/tabwriter';
import { unescapeFormat } from '../../formatters/format';

const VERSION_TEMPLATE = `{{with .Client -}}
Client:{{if ne .Platform.Name ""}} {{.Platform.Name}}{{end}}
 Version:\t{{.Version}}
 API version:\t{{.APIVersion}}{{if ne .APIVersion .DefaultAPIVersion}} (downgraded from {{.DefaultAPIVersion}}){{end}}
 Go version:\t{{.GoVersion}}
 Git commit:\t{{.GitCommit}}
 Built:\t{{.BuildTime}}
 OS/Arch:\t{{.Os}}/{{.Arch}}
 Context:\t{{.Context}}
{{- end}}

{{- if .ServerOK}}{{with .Server}}

Server:{{if ne .Platform.Name ""}} {{.Platform.Name}}{{end}}
 {{- range $component := .Components}}
 {{$component.Name}}:
  {{- if eq $component.Name "Engine" }}
  Version:\t{{.Version}}
  API version:\t{{index .Details "ApiVersion"}} (minimum version {{index .Details "MinAPIVersion"}})
  Go version:\t{{index .Details "GoVersion"}}
  Git commit:\t{{index .Details "GitCommit"}}
  Built:\t{{index .Details "BuildTime"}}
  OS/Arch:\t{{index .Details "Os"}}/{{index .Details "Arch"}}
  Experimental:\t{{index .Details "Experimental"}}
  {{- else }}
  Version:\t{{$component.Version}}
  {{- range $key, $value := $component.Details}}
  {{$key}}:\t{{$value}}
  {{- end}}
  {{- end}}
 {{- end}}
 {{- end}}{{- end}}
`;

export function versionCommand(ctx: CliContext): Command {
  const cmd = newCommand('version', '[OPTIONS]', 'Show the Docker-compatible version information')
    .option('-f, --format <string>', 'Format output using a custom template');
  return cmd.action(async (f: { format?: string }) => {
    checkArgs(cmd, cmd.args, 0, 0);
    let server: VersionInfo | undefined;
    let serverErr: unknown;
    try { server = await ctx.client.system.version(); } catch (err) { serverErr = err; }
    const apiVersion = server ? await ctx.client.transport.apiVersion() : API_VERSION;
    if (server?.Components) {
      for (const c of server.Components) if (c.Details?.BuildTime) c.Details.BuildTime = ansiTime(c.Details.BuildTime);
    }
    const data = {
      Client: { Platform: { Name: '' }, ...clientVersion(), APIVersion: apiVersion, DefaultAPIVersion: API_VERSION },
      Server: server ? { Platform: { Name: '' }, Components: [], ...server } : null,
      ServerOK: !!server,
    };
    const text = f.format ? renderTemplate(unescapeFormat(f.format), data) + '\n' : tabwrite(renderTemplate(VERSION_TEMPLATE, data), { minWidth: 20, padding: 1 });
    ctx.out(text);
    if (serverErr) throw serverErr;
  });
}

/** Go's time.ANSIC ("Thu May  7 21:09:36 2026") for an RFC 3339 time, as docker prints Built. */
export function ansiTime(rfc3339: string): string {
  const t = new Date(rfc3339);
  if (Number.isNaN(t.getTime())) return rfc3339;
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[t.getUTCDay()]} ${months[t.getUTCMonth()]} ${String(t.getUTCDate()).padStart(2, ' ')} ${p(t.getUTCHours())}:${p(t.getUTCMinutes())}:${p(t.getUTCSeconds())} ${t.getUTCFullYear()}`;
}
