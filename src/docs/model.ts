/** What the site is made from: the plan with step states, and per dataset what the database holds. */
import type { DatasetSummary, CatalogEntry, ExportManifest } from '../store/index.js';
import type { DatasetConfig, ExportConfig } from '../spec/types.js';
import type { Plan, PlannedStep } from '../pipeline/plan.js';
import type { LoadedProject } from '../pipeline/project.js';
import type { StepState } from './dag.js';
import type { Figure } from './plots.js';
import type { DatasetTargets } from './targets.js';

export interface StepInfo {
  step: PlannedStep;
  state: StepState;
  reasons: string[];
}

export interface ExportInfo {
  config: ExportConfig;
  state: StepState;
  /** project-relative (or absolute) directory */
  dir: string;
  manifest?: ExportManifest;
}

export interface DatasetInfo {
  name: string;
  /** absent when the database holds a dataset the config no longer names */
  config?: DatasetConfig;
  /** absent when the dataset has never been persisted */
  entry?: CatalogEntry;
  summary?: DatasetSummary;
  state: StepState;
  figures: Figure[];
  targets?: DatasetTargets;
  exports: ExportInfo[];
  /** datasets merged or cloned from this one */
  dependents: string[];
}

export interface SiteModel {
  project: LoadedProject;
  plan: Plan;
  steps: StepInfo[];
  datasets: DatasetInfo[];
  exports: ExportInfo[];
}

export function datasetHref(name: string, fromRoot: boolean): string {
  return `${fromRoot ? 'datasets/' : ''}${name}.html`;
}
