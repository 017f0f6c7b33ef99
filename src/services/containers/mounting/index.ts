export type { MountPoint, MountRequest, ApiMount, MountType } from './mount-point';
export { parseBindSpec, parseApiMount, tmpfsOptions, cleanPath } from './mount-spec';
export { planMounts, type MountPlanInput } from './plan-mounts';
export { acquireMounts, forgetVolumes, type AcquiredMounts } from './acquire-mounts';
export { setupMounts, releaseMounts } from './setup-mounts';
export { mountPointsOf, mountsJson, usesVolume, volumeNames, type MountJson } from './mount-list';
