/**
 * The product generator registry. patientsim is written by the clinical engine; membersim,
 * rxmembersim and trialsim by the claims/trials helper (their own folders). Add a product by
 * importing its generator and naming it below.
 */
import type { EntityProduct } from '../../spec/types.js';
import type { ProductGenerator } from '../product.js';
import { patientsim } from './patientsim/index.js';
import { membersimGenerator } from './membersim/index.js';
import { rxmembersimGenerator } from './rxmembersim/index.js';
import { trialsimGenerator } from './trialsim/index.js';

export const productGenerators: Readonly<Record<EntityProduct, ProductGenerator<any>>> = {
  patientsim,
  membersim: membersimGenerator, // SLOT: claims helper (src/generate/products/membersim)
  rxmembersim: rxmembersimGenerator, // SLOT: claims helper (src/generate/products/rxmembersim)
  trialsim: trialsimGenerator, // SLOT: trials helper (src/generate/products/trialsim)
  // 'pa' (prior authorization) is dataset-level, not an entity product: SLOT for its entry point.
};
