import type { Row } from '../model/types.js';
import type { NormalizedJourney, NormalizedProfile } from '../spec/types.js';
import type { StreamFactory } from './rng.js';

/** Rows produced for one or more tables, keyed by table name. Row order is significant. */
export type TableRows = Record<string, Row[]>;

/** Everything the engine needs; injected by the pipeline (no clock, no filesystem). */
export interface GenerateRequest {
  profile: NormalizedProfile;
  journey?: NormalizedJourney;
  seed: number;
  count: number;
  /** Stable namespace for IDs and streams (defaults to the profile id; not the dataset name). */
  namespace: string;
  /** ISO date: "today" for ages and journeys. */
  referenceDate: string;
  /** Skill packs by id (resolved from the reference layer plus the project's skills/). */
  skills?: ReadonlyMap<string, unknown>;
}

/** Per-dataset context shared by product generators. */
export interface GenerateContext {
  req: GenerateRequest;
  streams: StreamFactory;
  /** reference date as epoch days (UTC) */
  refDay: number;
  /** short stable token derived from the namespace, used inside IDs */
  nsToken: string;
}
