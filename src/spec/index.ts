/** Public API of the spec layer. */
export * from './types.js';
export { formatDiagnostic, formatDiagnosticWithSource, sortDiagnostics, compareDiagnostics, hasErrors, type Diagnostic, type Severity } from './diagnostic.js';
export { ok, fail, unreachable, type Result } from './result.js';
export { parseYaml, decodeUtf8, locate, displayPath, DiagnosticSink, DEFAULT_YAML_LIMITS, type YamlSource, type YamlLimits, type SpecPath, type PathSegment, type Position } from './yaml.js';
export { validateAgainstSchema, describeValue, type SpecKind } from './validate.js';
export { parseConfig, normalizeConfig, cleanPath, isCalendarDate, DEFAULT_SEED, DEFAULT_REFERENCE_DATE, DEFAULT_OUTPUT_DIR, NAME_RE, type ParsedConfig } from './config.js';
export { parseProfile, normalizeProfile, checkCount, type ParsedProfile, type ProfileMeta } from './profile.js';
export { parseJourney, normalizeJourney, durationDays, DEFAULT_DURATION_DAYS, type ParsedJourney } from './journey.js';
export { parseSkill, normalizeSkill, type ParsedSkill } from './skill.js';
export * as profileDefaults from './profile-defaults.js';
export { normalizeDistribution, checkWeights } from './distribution.js';
export { analyzeProject, referencedFiles, checkDatasetGraph, findGraphCycles, type ProjectInput, type AnalyzedProject, type CodeExists, type SkillExists, type FileProblem, type FileReference } from './project.js';
export type { CodeRef, CodeSystem, SkillRef } from './refs.js';
export { canonicalJson } from './canonical.js';
export { editDistance, nearest, didYouMean } from './suggest.js';
export {
  parseExpression,
  compileExpression,
  evaluate,
  evaluateCondition,
  exprErrorToDiagnostic,
  DEFAULT_SCOPE,
  type Expr,
  type ExprEnv,
  type ExprScope,
  type ExprType,
  type Value as ExprValue,
} from './expr/index.js';
export { configSchema, profileSchema, journeySchema, skillSchema } from './schemas/index.js';
