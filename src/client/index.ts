export { EngineClient, type EngineClientOptions } from './engine-client';
export { DEFAULT_SOCKET, parseHost, resolveHost, type DaemonHost } from './host';
export { Transport, encodeQuery, readAll, readJsonLines, type HijackedStream, type RequestOptions } from './transport';
export { Demuxer, copyStream, encodeFrame, type StreamId } from './stdcopy';
export { errorFromStatus, errorMessage, isDaemonError } from './errors';
export { encodeFilters, type WaitCondition, type AttachOptions, type ListOptions, type LogsOptions } from './containers';
export type * from './types';
export { ExecApi, type ExecCreateBody, type ExecInspect } from './exec';
export { ArchiveApi, type ContainerPathStat, type ContainerChange } from './archive';
