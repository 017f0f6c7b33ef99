/**
 * TLS for the API over TCP, as dockerd's `--tlsverify`: the server presents its certificate and
 * requires a client certificate signed by the given CA; a client without one is refused in the
 * handshake, before any HTTP.
 */
import type https from 'node:https';

export interface TlsFiles { ca: Buffer; cert: Buffer; key: Buffer }

export function serverTlsOptions(files: TlsFiles): https.ServerOptions {
  return {
    ca: files.ca, cert: files.cert, key: files.key,
    requestCert: true, rejectUnauthorized: true,
    // As Go's crypto/tls defaults in dockerd: TLS 1.2 or newer.
    minVersion: 'TLSv1.2',
  };
}
