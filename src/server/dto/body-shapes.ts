/**
 * The Go types dockerd decodes request bodies into (API 1.41's structs), as shapes for
 * `checkShape`: a body whose field has the wrong JSON type is a 400 in Go's words before any
 * service sees it.
 */
import { any, arr, bool, int, map, str, strslice, struct, type Shape } from './json-shape';

const strMap = map(str);
const i64 = int('int64');

const healthConfig = struct('HealthConfig', { Test: arr(str), Interval: i64, Timeout: i64, StartPeriod: i64, Retries: int() }, 'container.HealthConfig');

const containerConfigFields: Record<string, Shape> = {
  Hostname: str, Domainname: str, User: str, AttachStdin: bool, AttachStdout: bool, AttachStderr: bool,
  ExposedPorts: map(struct('', {}, 'struct {}'), 'nat.PortSet'), Tty: bool, OpenStdin: bool, StdinOnce: bool,
  Env: arr(str), Cmd: strslice, Healthcheck: healthConfig, ArgsEscaped: bool, Image: str,
  Volumes: map(struct('', {}, 'struct {}'), 'map[string]struct {}'), WorkingDir: str, Entrypoint: strslice,
  NetworkDisabled: bool, MacAddress: str, OnBuild: arr(str), Labels: strMap, StopSignal: str, StopTimeout: int(), Shell: strslice,
};

const restartPolicy = struct('RestartPolicy', { Name: str, MaximumRetryCount: int() }, 'container.RestartPolicy');

const resourceFields: Record<string, Shape> = {
  CpuShares: i64, Memory: i64, NanoCpus: i64, CgroupParent: str, BlkioWeight: int('uint16'),
  CpuPeriod: i64, CpuQuota: i64, CpuRealtimePeriod: i64, CpuRealtimeRuntime: i64, CpusetCpus: str, CpusetMems: str,
  Devices: arr(struct('DeviceMapping', { PathOnHost: str, PathInContainer: str, CgroupPermissions: str }), '[]container.DeviceMapping'),
  DeviceCgroupRules: arr(str), KernelMemory: i64, KernelMemoryTCP: i64, MemoryReservation: i64, MemorySwap: i64,
  MemorySwappiness: i64, OomKillDisable: bool, PidsLimit: i64,
  Ulimits: arr(struct('Ulimit', { Name: str, Hard: i64, Soft: i64 }), '[]*units.Ulimit'),
  CpuCount: i64, CpuPercent: i64, IOMaximumIOps: int('uint64'), IOMaximumBandwidth: int('uint64'),
};

const portBinding = struct('PortBinding', { HostIp: str, HostPort: str }, 'nat.PortBinding');

const hostConfig = struct('HostConfig', {
  ...resourceFields,
  Binds: arr(str), ContainerIDFile: str, LogConfig: struct('LogConfig', { Type: str, Config: strMap }, 'container.LogConfig'),
  NetworkMode: str, PortBindings: map(arr(portBinding, '[]nat.PortBinding'), 'nat.PortMap'), RestartPolicy: restartPolicy,
  AutoRemove: bool, VolumeDriver: str, VolumesFrom: arr(str), CapAdd: strslice, CapDrop: strslice, CgroupnsMode: str,
  Dns: arr(str), DnsOptions: arr(str), DnsSearch: arr(str), ExtraHosts: arr(str), GroupAdd: arr(str), IpcMode: str,
  Cgroup: str, Links: arr(str), OomScoreAdj: int(), PidMode: str, Privileged: bool, PublishAllPorts: bool,
  ReadonlyRootfs: bool, SecurityOpt: arr(str), StorageOpt: strMap, Tmpfs: strMap, UTSMode: str, UsernsMode: str,
  ShmSize: i64, Sysctls: strMap, Runtime: str, ConsoleSize: arr(int('uint'), '[2]uint'), Isolation: str,
  Mounts: arr(struct('Mount', { Type: str, Source: str, Target: str, ReadOnly: bool, Consistency: str, BindOptions: any, VolumeOptions: any, TmpfsOptions: any }, 'mount.Mount'), '[]mount.Mount'),
  MaskedPaths: arr(str), ReadonlyPaths: arr(str), Init: bool,
}, 'container.HostConfig');

const endpointSettings = struct('EndpointSettings', {
  IPAMConfig: struct('EndpointIPAMConfig', { IPv4Address: str, IPv6Address: str, LinkLocalIPs: arr(str) }, 'network.EndpointIPAMConfig'),
  Links: arr(str), Aliases: arr(str), NetworkID: str, EndpointID: str, Gateway: str, IPAddress: str, MacAddress: str,
  DriverOpts: strMap,
}, 'network.EndpointSettings');

/** `POST /containers/create`: runconfig's ContainerConfigWrapper (Config embedded). */
export const containerCreateShape = struct('ContainerConfigWrapper', {
  ...containerConfigFields,
  HostConfig: hostConfig,
  NetworkingConfig: struct('NetworkingConfig', { EndpointsConfig: map(endpointSettings, 'map[string]*network.EndpointSettings') }, 'network.NetworkingConfig'),
}, 'runconfig.ContainerConfigWrapper');

/** `POST /containers/{id}/update`: container.UpdateConfig (Resources embedded). */
export const containerUpdateShape = struct('UpdateConfig', { ...resourceFields, RestartPolicy: restartPolicy }, 'container.UpdateConfig');

/** `POST /containers/{id}/exec`: types.ExecConfig. */
export const execCreateShape = struct('ExecConfig', {
  User: str, Privileged: bool, Tty: bool, AttachStdin: bool, AttachStderr: bool, AttachStdout: bool, Detach: bool,
  DetachKeys: str, Env: arr(str), WorkingDir: str, Cmd: arr(str), ConsoleSize: arr(int('uint'), '*[2]uint'),
}, 'types.ExecConfig');

/** `POST /exec/{id}/start`: types.ExecStartCheck. */
export const execStartShape = struct('ExecStartCheck', { Detach: bool, Tty: bool, ConsoleSize: arr(int('uint'), '*[2]uint') }, 'types.ExecStartCheck');

/** `POST /networks/create`: types.NetworkCreateRequest. */
export const networkCreateShape = struct('NetworkCreateRequest', {
  Name: str, CheckDuplicate: bool, Driver: str, Scope: str, EnableIPv6: bool, Internal: bool, Attachable: bool,
  Ingress: bool, ConfigOnly: bool, ConfigFrom: struct('ConfigReference', { Network: str }, 'network.ConfigReference'),
  IPAM: struct('IPAM', {
    Driver: str, Options: strMap,
    Config: arr(struct('IPAMConfig', { Subnet: str, IPRange: str, Gateway: str, AuxiliaryAddresses: strMap }, 'network.IPAMConfig'), '[]network.IPAMConfig'),
  }, 'network.IPAM'),
  Options: strMap, Labels: strMap,
}, 'types.NetworkCreateRequest');

/** `POST /networks/{id}/connect` and `/disconnect`. */
export const networkConnectShape = struct('NetworkConnect', { Container: str, EndpointConfig: endpointSettings, Force: bool }, 'types.NetworkConnect');

/** `POST /volumes/create`: volume.VolumeCreateBody. */
export const volumeCreateShape = struct('VolumeCreateBody', { Name: str, Driver: str, DriverOpts: strMap, Labels: strMap }, 'volume.VolumeCreateBody');
