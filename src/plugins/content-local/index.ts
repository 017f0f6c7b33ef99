export { LocalBlobStore, type BlobWriter } from './blob-store';
export { ReferenceStore } from './reference-store';
