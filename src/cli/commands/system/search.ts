/** `berth search`: Docker Hub's search, or a private registry's catalog, through GET /images/search. */
import type { Command } from 'commander';
import { checkArgs, collect, intArg, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import type { ImageSearchResult } from '../../../client';
import { renderRows } from '../../formatters/format';
import { GO_TYPE } from '../../formatters/go-template';
import { parseFilterFlags } from '../container/ps';
import { registryAuthHeader } from '../../credentials';
import { ellipsis } from '../../formatters/container-context';

interface SearchFlags { filter?: string[]; format?: string; limit?: number; noTrunc?: boolean }

/** docker 28's columns: Docker Hub no longer has automated builds, so no AUTOMATED column nor field. */
const SEARCH_FORMAT = 'table {{.Name}}\t{{.Description}}\t{{.StarCount}}\t{{.IsOfficial}}';
const SEARCH_HEADERS: Record<string, string> = { Name: 'NAME', Description: 'DESCRIPTION', StarCount: 'STARS', IsOfficial: 'OFFICIAL' };


/** docker's searchContext; `json` (the json format) gives IsOfficial as "true"/"false" rather than "[OK]"/"". */
export function searchContext(r: ImageSearchResult, trunc: boolean, json = false): Record<string, unknown> {
  const desc = (r.description ?? '').replace(/[\n\r]/g, ' ');
  return {
    Name: r.name,
    Description: trunc ? ellipsis(desc, 45) : desc,
    StarCount: String(r.star_count ?? 0),
    IsOfficial: json ? String(!!r.is_official) : r.is_official ? '[OK]' : '',
    [GO_TYPE]: '*registry.searchContext',
  };
}

export function searchCommand(ctx: CliContext): Command {
  const cmd = newCommand('search', '[OPTIONS] TERM', 'Search the Docker Hub for images')
    .option('-f, --filter <filter>', 'Filter output based on conditions provided', collect)
    .option('--format <string>', 'Pretty-print search using a Go template')
    .option('--limit <int>', 'Max number of search results (default 25)', intArg('--limit'))
    .option('--no-trunc', "Don't truncate output")
    .argument('[args...]');
  return cmd.action(async (args: string[], f: SearchFlags & { trunc?: boolean }) => {
    checkArgs(cmd, args, 1, 1);
    const term = args[0];
    const results = await ctx.client.registry.search({
      term, limit: f.limit ?? 25, filters: parseFilterFlags(f.filter), registryAuth: await registryAuthHeader(`${term}/x`, ctx.env),
    });
    const trunc = f.trunc !== false;
    const format = !f.format || f.format === 'table' ? SEARCH_FORMAT : f.format;
    ctx.out(renderRows(format, results, { headers: SEARCH_HEADERS, toContext: (r) => searchContext(r, trunc, format === 'json') }));
  });
}
