/** resolv.conf as the resolver reads it: nameservers, the search list, options. */
export interface ResolvConf { nameservers: string[]; search: string[]; options: string[] }

export function parseResolvConf(text: string): ResolvConf {
  const words = (key: string) => text.split('\n').filter((l) => new RegExp(`^\\s*${key}\\s`).test(l)).map((l) => l.trim().split(/\s+/).slice(1));
  // As glibc: the last search line wins; options accumulate.
  return { nameservers: words('nameserver').map((w) => w[0]).filter(Boolean), search: words('search').pop() ?? [], options: words('options').flat() };
}
