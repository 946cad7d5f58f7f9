import type { TestProject } from 'vitest/node';
import { createTemplate, dropDatabases, newRunId } from './databases';
import { testServer } from './pg-server';

export type TestDbInfo = { adminUrl: string; template: string; runId: string };

declare module 'vitest' {
  export interface ProvidedContext {
    testDb: TestDbInfo;
  }
}

/** Migrates one template database per run; each worker clones it (see worker-setup.ts). */
export default async function setup(project: TestProject) {
  const { adminUrl, embedded } = await testServer();
  const runId = newRunId();
  const template = await createTemplate(adminUrl, runId);
  project.provide('testDb', { adminUrl, template, runId });
  return async () => {
    await dropDatabases(adminUrl, runId);
    await embedded?.stop();
  };
}
