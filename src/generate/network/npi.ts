/**
 * NPI-shaped identifiers. A real NPI's 10th digit is a Luhn check digit computed over the
 * 9-digit base prefixed with 80840 (the health-industry issuer prefix), so synthetic numbers
 * pass format validators. First digit 1 = individual, 2 = organization.
 */
import type { Rng } from '../rng.js';

export function npiCheckDigit(base9: string): number {
  const digits = '80840' + base9;
  let sum = 0;
  // Luhn: double every second digit from the right, where the check digit would be rightmost
  for (let k = digits.length - 1, dbl = true; k >= 0; k--, dbl = !dbl) {
    let d = digits.charCodeAt(k) - 48;
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export function isValidNpi(npi: string): boolean {
  return /^[12]\d{9}$/.test(npi) && npiCheckDigit(npi.slice(0, 9)) === Number(npi[9]);
}

export function syntheticNpiFrom(rng: Rng, kind: 'individual' | 'organization'): string {
  let base = kind === 'individual' ? '1' : '2';
  for (let k = 0; k < 8; k++) base += String(Math.floor(rng.next() * 10));
  return base + String(npiCheckDigit(base));
}
