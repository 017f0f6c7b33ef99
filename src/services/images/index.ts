export { ImageService, type ImageServiceOptions, type ListOptions, type CommitRequest } from './image-service';
export type { ContainerRootfs } from './container-rootfs';
export type { ImageSummary, ImageInspect, HistoryItem, InspectOptions } from './image-dto';
export type { DeleteItem, RemoveOptions } from './image-remove';
export type { ImportOptions } from './image-import';
export type { StoredImage } from './image-store';
export { tagName } from './image-tag';
