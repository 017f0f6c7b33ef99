export type { ContainerRootfs } from './container-rootfs';
