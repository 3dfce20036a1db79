/** What a spreadsheet takes for the start of a formula (OWASP, CSV Injection): =, +, -, @, tab and carriage return. */
const formulaStart = /^[=+\-@\t\r]/;

/**
 * A text cell as a spreadsheet shows it and never runs it: one that would start a formula gets a
 * single quote in front (OWASP's advice), which spreadsheets read as "this is text". A playlist or
 * track name is anyone's to choose (`=HYPERLINK(...)` names exist), so every text cell goes through here.
 */
export function neutraliseFormula(cell: string): string {
  return formulaStart.test(cell) ? `'${cell}` : cell;
}
