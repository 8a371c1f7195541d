// Times as an operator reads them: in the timezone a schedule is written in, with its offset,
// e.g. "Mon 2026-03-30 22:00 GMT+02:00".
const formats = new Map<string, Intl.DateTimeFormat>();

export function formatInTimezone(date: Date, timezone: string): string {
  let format = formats.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    });
    formats.set(timezone, format);
  }
  const part = Object.fromEntries(format.formatToParts(date).map((p) => [p.type, p.value]));
  const offset = part.timeZoneName === 'GMT' ? 'GMT+00:00' : part.timeZoneName; // ICU versions differ for zero
  return `${part.weekday} ${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute} ${offset}`;
}
