export { readHostFacts, type HostFacts } from './host-facts';
