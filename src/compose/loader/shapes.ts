/**
 * The compose keys berth supports and the shape each value must have. Each object shape
 * names where the compose specification defines the same object (`spec`: a `/`-separated path
 * from the schema's root, `$ref`s followed), so a test checks every key here against the
 * specification without the product reading it.
 */

export type Shape =
  | { kind: 'string' | 'bool' | 'int' | 'scalar' | 'strings' | 'dict' | 'dictOrList' | 'command' | 'duration' | 'any' | 'null' }
  | { kind: 'object'; spec: string; keys: Record<string, Shape>; open?: boolean }
  | { kind: 'mapOf'; value: Shape }
  | { kind: 'listOf'; item: Shape }
  | { kind: 'either'; options: Shape[]; expected: string };

const s = (kind: 'string' | 'bool' | 'int' | 'scalar' | 'strings' | 'dict' | 'dictOrList' | 'command' | 'duration' | 'any' | 'null'): Shape => ({ kind });
const obj = (spec: string, keys: Record<string, Shape>): Shape => ({ kind: 'object', spec, keys });
const either = (expected: string, ...options: Shape[]): Shape => ({ kind: 'either', options, expected });
const listOf = (item: Shape): Shape => ({ kind: 'listOf', item });
const mapOf = (value: Shape): Shape => ({ kind: 'mapOf', value });

const SVC = 'definitions/service/properties';

const build = either('a string or a mapping', s('string'), obj(`${SVC}/build/oneOf/1`, {
  context: s('string'), dockerfile: s('string'), args: s('dictOrList'), target: s('string'), labels: s('dictOrList'),
}));
const healthcheck = obj('definitions/healthcheck', {
  test: s('command'), interval: s('duration'), timeout: s('duration'), start_period: s('duration'),
  start_interval: s('duration'), retries: s('int'), disable: s('bool'),
});
const limits = obj('definitions/deployment/properties/resources/properties/limits', { cpus: s('scalar'), memory: s('string'), pids: s('int') });
const deploy = obj('definitions/deployment', {
  replicas: s('int'),
  resources: obj('definitions/deployment/properties/resources', { limits, reservations: obj('definitions/deployment/properties/resources/properties/reservations', { cpus: s('scalar'), memory: s('string') }) }),
  labels: s('dictOrList'),
});
const port = either('a port number, a string or a mapping', s('scalar'), obj(`${SVC}/ports/items/oneOf/2`, {
  target: s('scalar'), published: s('scalar'), host_ip: s('string'), protocol: s('string'), mode: s('string'), name: s('string'),
}));
const volume = either('a string or a mapping', s('string'), obj(`${SVC}/volumes/items/oneOf/1`, {
  type: s('string'), source: s('string'), target: s('string'), read_only: s('bool'),
  volume: obj(`${SVC}/volumes/items/oneOf/1/properties/volume`, { nocopy: s('bool') }),
  bind: obj(`${SVC}/volumes/items/oneOf/1/properties/bind`, { create_host_path: s('bool'), propagation: s('string') }),
  tmpfs: obj(`${SVC}/volumes/items/oneOf/1/properties/tmpfs`, { size: s('scalar'), mode: s('scalar') }),
}));
const serviceNetwork = either('a mapping or null', obj(`${SVC}/networks/oneOf/1/patternProperties/^[a-zA-Z0-9._-]+$/oneOf/0`, {
  aliases: s('strings'), ipv4_address: s('string'),
}), s('null'));
const dependsOn = either('a list of service names or a mapping', s('strings'), mapOf(obj(`${SVC}/depends_on/oneOf/1/patternProperties/^[a-zA-Z0-9._-]+$`, {
  condition: s('string'), required: s('bool'), restart: s('bool'),
})));
const fileRef = either('a name or a mapping', s('string'), obj('definitions/service_config_or_secret/items/oneOf/1', {
  source: s('string'), target: s('string'), uid: s('string'), gid: s('string'), mode: s('scalar'),
}));
const ulimit = either('a number or a mapping with soft and hard', s('int'), obj('definitions/ulimits/patternProperties/^[a-z]+$/oneOf/1', { soft: s('int'), hard: s('int') }));

export const SERVICE: Shape = obj('definitions/service', {
  image: s('string'), build, command: s('command'), entrypoint: s('command'),
  environment: s('dictOrList'), env_file: either('a string or a list', s('string'), listOf(either('a path or a mapping', s('string'), obj('definitions/env_file/oneOf/1/items/oneOf/1', { path: s('string'), required: s('bool') })))),
  ports: listOf(port), expose: s('strings'), volumes: listOf(volume),
  networks: either('a list of network names or a mapping', s('strings'), mapOf(serviceNetwork)),
  depends_on: dependsOn, healthcheck, restart: s('string'), deploy, profiles: s('strings'), links: s('strings'),
  labels: s('dictOrList'), container_name: s('string'), hostname: s('string'),
  working_dir: s('string'), user: s('string'), extra_hosts: s('dictOrList'), dns: either('a string or a list', s('string'), s('strings')),
  cap_add: s('strings'), privileged: s('bool'),
  tmpfs: either('a string or a list', s('string'), s('strings')), ulimits: mapOf(ulimit), init: s('bool'),
  stop_signal: s('string'), stop_grace_period: s('duration'), secrets: listOf(fileRef), configs: listOf(fileRef),
  scale: s('int'),
});

const external = either('a boolean or a mapping', s('bool'), s('any'));
const NETWORK = either('a mapping or null', obj('definitions/network', {
  name: s('string'), driver: s('string'), external, internal: s('bool'), labels: s('dictOrList'), attachable: s('bool'),
  ipam: obj('definitions/network/properties/ipam', { driver: s('string'), config: listOf(obj('definitions/network/properties/ipam/properties/config/items', { subnet: s('string'), gateway: s('string'), ip_range: s('string') })) }),
  driver_opts: s('dict'),
}), s('null'));
const VOLUME = either('a mapping or null', obj('definitions/volume', {
  name: s('string'), driver: s('string'), external, labels: s('dictOrList'), driver_opts: s('dict'),
}), s('null'));
const SECRET = obj('definitions/secret', { file: s('string'), name: s('string') });
const CONFIG = obj('definitions/config', { file: s('string'), name: s('string') });

export const TOP: Shape = obj('', {
  version: s('any'), name: s('string'), services: mapOf(SERVICE), networks: mapOf(NETWORK), volumes: mapOf(VOLUME),
  secrets: mapOf(SECRET), configs: mapOf(CONFIG),
});
