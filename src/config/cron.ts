// Syntax check for the five-field cron specs schedules use, so a typo is reported at load time
// with the field that is wrong, before anything reaches the Temporal server.
const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day of week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
] as const;

type Field = (typeof FIELDS)[number];

/** Returns what is wrong with the spec, or undefined when it is a valid five-field cron. */
export function cronSpecProblem(spec: string): string | undefined {
  const parts = spec.trim().split(/\s+/);
  if (parts.length !== FIELDS.length) {
    return `expected 5 cron fields (minute hour day-of-month month day-of-week), found ${parts.length} in "${spec}"`;
  }
  for (const [i, field] of FIELDS.entries()) {
    for (const element of parts[i]!.split(',')) {
      if (!validElement(element, field)) {
        return `expected a valid ${field.name} (${field.min}-${field.max}) in "${spec}", found "${element}"`;
      }
    }
  }
  // Classic cron runs when EITHER restricted day field matches; Temporal Schedules require BOTH.
  // Refuse the ambiguous form rather than run on days the author did not mean.
  if (parts[2] !== '*' && parts[4] !== '*') {
    return `expected "*" in day of month or day of week, not both restricted ("${parts[2]}" and "${parts[4]}"): Temporal would run only on days matching both`;
  }
  return undefined;
}

function validElement(element: string, field: Field): boolean {
  const [range, step, ...rest] = element.split('/');
  if (rest.length > 0 || range === undefined) return false;
  if (step !== undefined && !/^[1-9]\d*$/.test(step)) return false;
  if (range === '*') return true;
  const bounds = range.split('-');
  if (bounds.length > 2) return false;
  const values = bounds.map((bound) => fieldValue(bound, field));
  if (values.some((v) => v === undefined)) return false;
  return values.length === 1 || values[0]! <= values[1]!;
}

function fieldValue(text: string, field: Field): number | undefined {
  const byName = 'names' in field ? (field.names as readonly string[]).indexOf(text.toUpperCase()) : -1;
  if (byName >= 0) return byName + (field.min === 1 ? 1 : 0);
  if (!/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= field.min && value <= field.max ? value : undefined;
}
