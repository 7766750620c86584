/** Standards exports (FHIR R4, CDISC SDTM, X12 837P/835, NCPDP flat) as pure functions and sinks. */
export type { ExportFile, StandardTables } from './common.js';
export { exportFhir, type FhirExportOptions } from './fhir/export.js';
export { exportSdtm, sdtmDatasets, type SdtmExportOptions } from './sdtm/export.js';
export { writeXport, ibmDouble, type XptDataset, type XptVariable } from './sdtm/xport.js';
export { exportX12, type X12ExportOptions } from './x12/export.js';
export { exportNcpdp, parseNcpdpFlat, NCPDP_FIELDS } from './ncpdp/export.js';
export { fhirSink, sdtmSink, x12Sink, ncpdpSink, registerStandardSinks, readStandardTables, writeExportFiles } from './sinks.js';
