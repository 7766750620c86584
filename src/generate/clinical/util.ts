import { dayOfIso } from '../dates.js';

export const birthDayFromIso = (iso: string): number => dayOfIso(iso);
