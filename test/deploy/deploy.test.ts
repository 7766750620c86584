/**
 * The deployment examples in deploy/ are not run here (no cluster, no GitHub runner), so they are
 * kept honest by parsing them and checking the fields the sharded build depends on.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO } from '../e2e/helpers.js';

type Obj = Record<string, any>;

function load(rel: string): Obj[] {
  const docs = parseAllDocuments(readFileSync(path.join(REPO, rel), 'utf8'));
  if (!Array.isArray(docs)) throw new Error(`${rel}: no documents`);
  for (const d of docs) expect(d.errors.map(String), rel).toEqual([]);
  return docs.map((d) => d.toJS() as Obj);
}

function envOf(container: Obj): Record<string, string> {
  return Object.fromEntries((container.env ?? []).map((e: Obj) => [e.name, e.value]));
}

/** The shell script a container runs (command + args joined). */
function scriptOf(container: Obj): string {
  return [...(container.command ?? []), ...(container.args ?? [])].join(' ');
}

describe('deploy/k8s/indexed-job.yaml', () => {
  const docs = load('deploy/k8s/indexed-job.yaml');
  const job = docs.find((d) => d.kind === 'Job')!;
  const pvc = docs.find((d) => d.kind === 'PersistentVolumeClaim')!;
  const pod = job.spec.template.spec;
  const shard = pod.containers[0];

  it('is an Indexed Job whose completions equal the shard count passed to --shard', () => {
    expect(job.apiVersion).toBe('batch/v1');
    expect(job.spec.completionMode).toBe('Indexed');
    expect(Number.isInteger(job.spec.completions) && job.spec.completions > 1).toBe(true);
    expect(job.spec.parallelism).toBeGreaterThan(0);
    expect(envOf(shard).SHARD_COUNT).toBe(String(job.spec.completions));
    expect(pod.restartPolicy).toBe('Never'); // required by backoffLimitPerIndex
  });

  it('maps JOB_COMPLETION_INDEX to --shard through a shell wrapper, on node 20', () => {
    expect(shard.image).toBe('node:20');
    expect(shard.command).toEqual(['/bin/sh', '-c']);
    expect(scriptOf(shard)).toContain('npx healthsim build --shard "${JOB_COMPLETION_INDEX}/${SHARD_COUNT}" --jobs "${JOBS}" --shard-dir /shards/out');
    // one generation thread per requested core
    expect(envOf(shard).JOBS).toBe(String(shard.resources.requests.cpu));
  });

  it('writes to a shared ReadWriteMany claim and runs in the fetched project', () => {
    expect(pvc.spec.accessModes).toEqual(['ReadWriteMany']);
    const shards = pod.volumes.find((v: Obj) => v.persistentVolumeClaim);
    expect(shards.persistentVolumeClaim.claimName).toBe(pvc.metadata.name);
    expect(shard.volumeMounts).toContainEqual({ name: shards.name, mountPath: '/shards' });
    const fetch = pod.initContainers[0];
    expect(scriptOf(fetch)).toContain('git clone');
    expect(scriptOf(fetch)).toContain(shard.workingDir);
  });
});

describe('deploy/k8s/combine-job.yaml', () => {
  const [job] = load('deploy/k8s/combine-job.yaml');
  const shardJob = load('deploy/k8s/indexed-job.yaml').find((d) => d.kind === 'Job')!;
  const pod = job.spec.template.spec;

  it('runs one `healthsim shards combine` over the shards the Indexed Job wrote', () => {
    expect(job.kind).toBe('Job');
    expect(job.spec.completions).toBe(1);
    expect(pod.containers[0].image).toBe('node:20');
    expect(scriptOf(pod.containers[0])).toContain('npx healthsim shards combine --shard-dir /shards/out');
    const claim = (p: Obj) => p.volumes.find((v: Obj) => v.persistentVolumeClaim).persistentVolumeClaim.claimName;
    expect(claim(pod)).toBe(claim(shardJob.spec.template.spec));
  });
});

describe('deploy/ci/github-actions.yml', () => {
  const [wf] = load('deploy/ci/github-actions.yml');

  it('builds one shard per matrix entry and uploads each as an artifact', () => {
    const shard = wf.jobs.shard;
    expect(shard.strategy.matrix.shard).toEqual([0, 1, 2, 3]);
    expect(wf.env.SHARD_COUNT).toBe(shard.strategy.matrix.shard.length);
    const runs = shard.steps.map((s: Obj) => s.run).filter(Boolean).join('\n');
    expect(runs).toContain('npx healthsim build --shard ${{ matrix.shard }}/$SHARD_COUNT --jobs 2 --shard-dir shards');
    const upload = shard.steps.find((s: Obj) => String(s.uses).startsWith('actions/upload-artifact@'));
    expect(upload.with).toMatchObject({ name: 'healthsim-shard-${{ matrix.shard }}', path: 'shards/' });
  });

  it('combines after every shard, from all the artifacts merged into one directory', () => {
    const combine = wf.jobs.combine;
    expect(combine.needs).toBe('shard');
    const download = combine.steps.find((s: Obj) => String(s.uses).startsWith('actions/download-artifact@'));
    expect(download.with).toEqual({ pattern: 'healthsim-shard-*', 'merge-multiple': true, path: 'shards' });
    expect(combine.steps.map((s: Obj) => s.run).join('\n')).toContain('npx healthsim shards combine --shard-dir shards');
    for (const j of [wf.jobs.shard, combine]) {
      expect(j.steps.find((s: Obj) => String(s.uses).startsWith('actions/setup-node@')).with['node-version']).toBe(20);
    }
  });
});
