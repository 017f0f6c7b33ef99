export { LocalVolumeDriver } from './local-driver';
export { parseLocalOptions, type LocalOptions } from './local-options';
