/** Registry settings (mirrors, insecure registries, certs.d) and the login and search routes. */
import type { Router } from '../server/router';
import { authRoutes } from '../server/routes/auth';
import { imageSearchRoutes } from '../server/routes/image-search';
import { EndpointConfig, DEFAULT_CERTS_DIR } from '../services/registry';
import { isInsecure } from '../plugins/registry-client';
import type { DaemonConfig } from './config';

export function wireRegistry(cfg: DaemonConfig): { endpoints: EndpointConfig; routes(router: Router): void } {
  const endpoints = new EndpointConfig({
    mirrors: cfg.registryMirrors,
    isInsecure: (host) => isInsecure(host, cfg.insecureRegistries),
    certsDir: DEFAULT_CERTS_DIR,
  });
  return {
    endpoints,
    routes: (router) => {
      authRoutes(router, endpoints);
      // BERTH_TEST_HUB_INDEX: tests only, a stand-in for Docker Hub's search API (no network here).
      imageSearchRoutes(router, { endpoints, hubIndex: process.env.BERTH_TEST_HUB_INDEX });
    },
  };
}
