/**
 * Calendar arithmetic in a named time zone (the competition zone): days are `YYYY-MM-DD` strings,
 * instants are UTC `Date`s. Uses Intl only, so DST transitions come from the platform's tz database.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** The wall-clock fields of an instant in a zone. */
function wallClock(at: Date, timeZone: string) {
  const fields: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(at)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return fields as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number>;
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** The calendar date of an instant in a zone. */
export function calendarDateIn(at: Date, timeZone: string): string {
  const { year, month, day } = wallClock(at, timeZone);
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** Offset of the zone from UTC at an instant, in ms (New York in winter: -5 h). */
function offsetAt(at: Date, timeZone: string): number {
  const w = wallClock(at, timeZone);
  const wallAsUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return wallAsUtc - (at.getTime() - at.getUTCMilliseconds());
}

/** The instant a calendar date starts (00:00 local) in a zone; correct on DST transition days. */
export function startOfDayIn(date: string, timeZone: string): Date {
  const [year, month, day] = date.split('-').map(Number);
  const midnightUtc = Date.UTC(year, month - 1, day);
  // The offset at local midnight may differ from the offset at UTC midnight: correct once more.
  let instant = midnightUtc - offsetAt(new Date(midnightUtc), timeZone);
  instant = midnightUtc - offsetAt(new Date(instant), timeZone);
  return new Date(instant);
}

/** `date` plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** Whole years between a birth date and a calendar date, by birthday (not days / 365). */
export function ageOn(dateOfBirth: string, today: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number);
  const [ty, tm, td] = today.split('-').map(Number);
  const hadBirthday = tm > bm || (tm === bm && td >= bd);
  return ty - by - (hadBirthday ? 0 : 1);
}
