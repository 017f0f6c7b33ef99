export * from './contracts';
export * from './oci-spec';
