/**
 * The values a spreadsheet opening a CSV file would run as a formula: those whose first
 * character is `=`, `+`, `-`, an at sign, a tab or a carriage return (OWASP's list). Both CSV
 * files the console writes pass it to Papa Parse as `escapeFormulae`, which prefixes such a
 * value with '.
 *
 * Papa Parse's own pattern for `escapeFormulae: true` is /^[=+\-@\t\r].*$/: without the `s`
 * flag `.` stops at a line break and `$` wants the end of the text, so a value of several
 * lines (a note, a decline reason the customer typed) slipped through unprefixed. Only the
 * first character matters, so this tests only that. No `g` or `y` flag: Papa Parse calls
 * `test` once per cell, and those flags would make the result depend on the cell before.
 */
export const FORMULA_START = /^[=+\-@\t\r]/;
