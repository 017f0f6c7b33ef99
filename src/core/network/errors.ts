/** Docker's words for network settings a container cannot have (runconfig's errors). */
export const SHARED_NAMESPACE = 'container sharing network namespace with another container or host cannot be connected to any other network';
export const PRIVATE_MODE = 'container cannot be connected to multiple networks with one of the networks in private (none) mode';
export const HOST_SWITCH = 'container cannot be disconnected from host network or connected to host network';
