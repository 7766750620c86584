/**
 * Row → FHIR R4 resource builders for the clinical and directory tables (Patient, Practitioner,
 * Organization, Encounter, Condition, Observation, MedicationRequest, Procedure,
 * AllergyIntolerance). References go through `FhirRefs`, which renders `urn:uuid:…` inside a
 * transaction Bundle and `Type/id` in bulk ndjson, and returns `undefined` for a target that is
 * not exported (so no reference ever dangles).
 */
import type { Row } from '../../../model/index.js';
import { num, str } from '../common.js';
import {
  address, codedRow, concept, gender, humanName, ident, list, npiIdent, period, quantity, usCoreExtension,
  type FhirRefs, type Json,
} from './datatypes.js';
import {
  ENCOUNTER_CLASS_DISPLAY,
  INTERPRETATION_DISPLAY,
  MEDICATION_REQUEST_STATUS,
  OMB_ETHNICITY,
  OMB_RACE,
  SYSTEM,
  systemFor,
} from './terminology.js';

export function patientResource(id: string, r: Row, refs: FhirRefs): Json {
  return {
    resourceType: 'Patient',
    id,
    extension: list(
      usCoreExtension(SYSTEM.usCoreRace, str(r.race), OMB_RACE),
      usCoreExtension(SYSTEM.usCoreEthnicity, str(r.ethnicity), OMB_ETHNICITY),
    ),
    identifier: list(ident('mrn', r.mrn, 'MR', 'Medical record number'), ident('patient_id', r.patient_id)),
    name: humanName(r),
    telecom: list<Json>(
      str(r.phone) ? { system: 'phone', value: str(r.phone), use: 'home' } : undefined,
      str(r.email) ? { system: 'email', value: str(r.email) } : undefined,
    ),
    gender: gender(r.sex),
    birthDate: str(r.birth_date),
    address: list(address(r, true)),
    generalPractitioner: list(refs.to('providers', r.primary_provider_id)),
  };
}

export function memberPatientResource(id: string, r: Row): Json {
  return {
    resourceType: 'Patient',
    id,
    extension: list(
      usCoreExtension(SYSTEM.usCoreRace, str(r.race), OMB_RACE),
      usCoreExtension(SYSTEM.usCoreEthnicity, str(r.ethnicity), OMB_ETHNICITY),
    ),
    identifier: list(ident('member_id', r.member_id, 'MB', 'Member Number'), ident('subscriber_id', r.subscriber_id, 'SN', 'Subscriber Number')),
    name: humanName(r),
    gender: gender(r.sex),
    birthDate: str(r.birth_date),
    address: list(address(r, true)),
  };
}

export function practitionerResource(id: string, r: Row): Json {
  return {
    resourceType: 'Practitioner',
    id,
    identifier: list(npiIdent(r.npi), ident('provider_id', r.provider_id)),
    active: true,
    name: humanName(r),
    address: list(address(r, false)),
    qualification: str(r.taxonomy_code)
      ? [{ code: concept('http://nucc.org/provider-taxonomy', str(r.taxonomy_code), str(r.specialty)) }]
      : undefined,
  };
}

export function facilityResource(id: string, r: Row): Json {
  return {
    resourceType: 'Organization',
    id,
    identifier: list(npiIdent(r.npi), ident('facility_id', r.facility_id)),
    active: true,
    type: [{ coding: [{ system: SYSTEM.organizationType, code: 'prov', display: 'Healthcare Provider' }], text: str(r.facility_type) }],
    name: str(r.name),
    address: list(address(r, false)),
  };
}

export function payerResource(id: string, r: Row): Json {
  return {
    resourceType: 'Organization',
    id,
    identifier: list(ident('payer_id', r.payer_id)),
    active: true,
    type: [{ coding: [{ system: SYSTEM.organizationType, code: 'pay', display: 'Payer' }], text: str(r.payer_type) }],
    name: str(r.name),
    address: str(r.state) ? [{ state: str(r.state), country: 'US' }] : undefined,
  };
}

export function encounterResource(id: string, r: Row, refs: FhirRefs): Json {
  const cls = str(r.encounter_class) ?? 'AMB';
  return {
    resourceType: 'Encounter',
    id,
    identifier: list(ident('encounter_id', r.encounter_id)),
    status: 'finished',
    class: { system: SYSTEM.actCode, code: cls, display: ENCOUNTER_CLASS_DISPLAY[cls] },
    type: list(codedRow(r)),
    subject: refs.to('patients', r.patient_id),
    participant: list<Json>(
      (() => {
        const p = refs.to('providers', r.provider_id);
        return p ? { individual: p } : undefined;
      })(),
    ),
    period: period(r.start_date, r.end_date),
    reasonCode: list(concept(SYSTEM.icd10cm, str(r.reason_code), str(r.reason_description))),
    serviceProvider: refs.to('facilities', r.facility_id),
  };
}

export function conditionResource(id: string, r: Row, refs: FhirRefs): Json {
  const resolved = str(r.status) === 'resolved';
  const encounter = refs.to('encounters', r.encounter_id);
  return {
    resourceType: 'Condition',
    id,
    identifier: list(ident('diagnosis_id', r.diagnosis_id)),
    clinicalStatus: { coding: [{ system: SYSTEM.conditionClinical, code: resolved ? 'resolved' : 'active' }] },
    verificationStatus: { coding: [{ system: SYSTEM.conditionVerification, code: 'confirmed' }] },
    category: [
      encounter
        ? { coding: [{ system: SYSTEM.conditionCategory, code: 'encounter-diagnosis', display: 'Encounter Diagnosis' }] }
        : { coding: [{ system: SYSTEM.conditionCategory, code: 'problem-list-item', display: 'Problem List Item' }] },
    ],
    code: concept(systemFor(str(r.code_system)) ?? SYSTEM.icd10cm, str(r.code), str(r.description)),
    subject: refs.to('patients', r.patient_id),
    encounter,
    onsetDateTime: str(r.onset_date),
    recordedDate: str(r.onset_date),
    note: str(r.severity) ? [{ text: `severity: ${str(r.severity)}` }] : undefined,
  };
}

export function observationResource(id: string, r: Row, refs: FhirRefs): Json {
  const isVital = (str(r.panel) ?? '').toLowerCase().startsWith('vital');
  const value = num(r.value);
  const unit = str(r.unit);
  const low = num(r.reference_low);
  const high = num(r.reference_high);
  const interp = str(r.interpretation);
  return {
    resourceType: 'Observation',
    id,
    identifier: list(ident('lab_result_id', r.lab_result_id)),
    status: 'final',
    category: [
      {
        coding: [
          isVital
            ? { system: SYSTEM.observationCategory, code: 'vital-signs', display: 'Vital Signs' }
            : { system: SYSTEM.observationCategory, code: 'laboratory', display: 'Laboratory' },
        ],
      },
    ],
    code: concept(SYSTEM.loinc, str(r.code), str(r.description)),
    subject: refs.to('patients', r.patient_id),
    encounter: refs.to('encounters', r.encounter_id),
    effectiveDateTime: str(r.effective_date),
    valueQuantity: quantity(value, unit),
    dataAbsentReason:
      value === undefined
        ? { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason', code: 'unknown', display: 'Unknown' }] }
        : undefined,
    interpretation: interp
      ? [{ coding: [{ system: SYSTEM.interpretation, code: interp, display: INTERPRETATION_DISPLAY[interp] }] }]
      : undefined,
    referenceRange:
      low !== undefined || high !== undefined ? [{ low: quantity(low, unit), high: quantity(high, unit) }] : undefined,
  };
}

export function medicationRequestResource(id: string, r: Row, refs: FhirRefs): Json {
  const dose = num(r.dose_value);
  const doseUnit = str(r.dose_unit);
  const text = [dose !== undefined ? `${dose}${doseUnit ? ' ' + doseUnit : ''}` : undefined, str(r.route), str(r.frequency)]
    .filter((x) => x !== undefined)
    .join(' ');
  return {
    resourceType: 'MedicationRequest',
    id,
    identifier: list(ident('medication_id', r.medication_id)),
    status: MEDICATION_REQUEST_STATUS[str(r.status) ?? ''] ?? 'unknown',
    intent: 'order',
    category: str(r.therapeutic_class) ? [{ text: str(r.therapeutic_class) }] : undefined,
    medicationCodeableConcept: concept(SYSTEM.rxnorm, str(r.code), str(r.description)),
    subject: refs.to('patients', r.patient_id),
    encounter: refs.to('encounters', r.encounter_id),
    authoredOn: str(r.start_date),
    note: str(r.outcome) || num(r.line_of_therapy) !== undefined
      ? [{ text: [num(r.line_of_therapy) !== undefined ? `line of therapy ${num(r.line_of_therapy)}` : '', str(r.outcome) ? `outcome: ${str(r.outcome)}` : ''].filter(Boolean).join('; ') }]
      : undefined,
    dosageInstruction: text
      ? [
          {
            text,
            timing: str(r.frequency) ? { code: { text: str(r.frequency) } } : undefined,
            route: str(r.route) ? { text: str(r.route) } : undefined,
            doseAndRate: dose !== undefined ? [{ doseQuantity: quantity(dose, doseUnit) }] : undefined,
          },
        ]
      : undefined,
    dispenseRequest: period(r.start_date, r.end_date) ? { validityPeriod: period(r.start_date, r.end_date) } : undefined,
  };
}

export function procedureResource(id: string, r: Row, refs: FhirRefs): Json {
  return {
    resourceType: 'Procedure',
    id,
    identifier: list(ident('procedure_id', r.procedure_id)),
    status: 'completed',
    code: codedRow(r),
    subject: refs.to('patients', r.patient_id),
    encounter: refs.to('encounters', r.encounter_id),
    performedDateTime: str(r.performed_date),
  };
}

export function allergyResource(id: string, r: Row, refs: FhirRefs): Json {
  const category = str(r.category);
  const severity = str(r.severity);
  return {
    resourceType: 'AllergyIntolerance',
    id,
    identifier: list(ident('allergy_id', r.allergy_id)),
    clinicalStatus: { coding: [{ system: SYSTEM.allergyClinical, code: 'active', display: 'Active' }] },
    verificationStatus: { coding: [{ system: SYSTEM.allergyVerification, code: 'confirmed', display: 'Confirmed' }] },
    type: 'allergy',
    category: category && ['food', 'medication', 'environment', 'biologic'].includes(category) ? [category] : undefined,
    code: codedRow(r),
    patient: refs.to('patients', r.patient_id),
    recordedDate: str(r.onset_date),
    reaction: str(r.reaction)
      ? [
          {
            manifestation: [{ text: str(r.reaction) }],
            severity: severity && ['mild', 'moderate', 'severe'].includes(severity) ? severity : undefined,
          },
        ]
      : undefined,
  };
}
