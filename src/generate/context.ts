import type { GenerateContext, GenerateRequest } from './types.js';
import { StreamFactory } from './rng.js';
import { dayOfIso } from './dates.js';
import { namespaceToken } from './ids.js';

/** The per-dataset context every generator receives (pure: derived from the request only). */
export function createContext(req: GenerateRequest): GenerateContext {
  return {
    req,
    streams: new StreamFactory(req.seed, req.namespace),
    refDay: dayOfIso(req.referenceDate),
    nsToken: namespaceToken(req.namespace),
  };
}
