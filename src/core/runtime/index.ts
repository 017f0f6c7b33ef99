export * from './contracts';
export * from './oci-spec';
export * from './exec';
export * from './oci-security';
