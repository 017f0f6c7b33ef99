export type { ContainerRootfs } from '../../core/snapshots';
