/**
 * A short ZooKeeper scenario for CLI tests (6 s, 3 servers, a partition that strands the
 * leader with a minority): written as `<dir>/<name>.yaml` with `extra` YAML appended.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function writeShortScenario(dir: string, name: string, extra = ''): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `name: ${name}
system: zookeeper
durationMs: 6000
cluster: { servers: 3, tickTimeMs: 500, syncLimit: 4 }
clients: { count: 3, requestTimeoutMs: 1500 }
workload: { kind: register, durationMs: 5000, keys: 2 }
faults:
  - { name: cut, do: partition, groups: [minority-with-leader, rest], atMs: 1000, durationMs: 3500 }
${extra}`,
  );
  return file;
}
