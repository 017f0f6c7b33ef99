export { BridgeAttacher, type BridgeOptions } from './bridge-attacher';
