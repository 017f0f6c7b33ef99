/** Waiting for a service's dependencies: started, healthy, or completed successfully, as depends_on asks. */
import { FailedPrecondition } from '../../errdefs';
import type { DependsCondition } from '../types';
import { projectContainers } from './project-containers';
import type { ComposeRuntime } from './runtime';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves once every container of `service` meets `condition`; rejects when it never can. */
export async function waitForCondition(rt: ComposeRuntime, project: string, service: string, condition: DependsCondition): Promise<void> {
  for (;;) {
    rt.signal?.throwIfAborted();
    const cs = await projectContainers(rt.client, project, { services: [service], oneoff: false });
    if (!cs.length) throw new FailedPrecondition(`dependency "${service}" has no container`);
    let met = true;
    for (const c of cs) {
      const st = (await rt.client.containers.inspect(c.id)).State as { Status: string; Running: boolean; ExitCode: number; Health?: { Status: string } };
      if (condition === 'service_started') continue;
      if (condition === 'service_healthy') {
        if (!st.Health) throw new FailedPrecondition(`dependency failed to start: container ${c.name} has no healthcheck configured`);
        if (st.Health.Status === 'unhealthy') throw new FailedPrecondition(`dependency failed to start: container ${c.name} is unhealthy`);
        if (st.Health.Status !== 'healthy') met = false;
        if (!st.Running && st.Health.Status !== 'healthy') throw new FailedPrecondition(`dependency failed to start: container ${c.name} exited (${st.ExitCode})`);
      } else if (st.Running || st.Status === 'created') met = false;
      else if (st.ExitCode !== 0) throw new FailedPrecondition(`service "${service}" didn't complete successfully: exit ${st.ExitCode}`);
    }
    if (met) return;
    await sleep(200);
  }
}
