const DAY_MS = 86_400_000;

/** UTC days since 1970-01-01 of `date` (what `Page.daySinceEpoch` stores). */
export function daySinceEpoch(date: Date): number {
  return Math.floor(date.getTime() / DAY_MS);
}

/**
 * `start_day_interval` values at or above this are read as a day since epoch (2027-05-19 is day
 * 20_000; day 10_000 is 1997-05-19), below it as a number of days back from `current_batch_day`.
 */
export const NANONETS_ABSOLUTE_DAY_THRESHOLD = 10_000;

export type DayWindowResult = { ok: true; fromDay: number; toDay: number } | { ok: false; message: string };

/**
 * The inclusive day window of `GET .../InferenceRequest/?start_day_interval=&current_batch_day=`.
 * The seed calls `start_day_interval` both "days back from the current batch day" and "days since
 * epoch"; Nanonets clients send either, so a value of at least 10 000 is a start day and a smaller
 * one a count of days back. `current_batch_day` is the last day of the window.
 */
export function nanonetsDayWindow(startDayInterval: number, currentBatchDay: number): DayWindowResult {
  const fromDay =
    startDayInterval >= NANONETS_ABSOLUTE_DAY_THRESHOLD ? startDayInterval : currentBatchDay - startDayInterval;
  if (fromDay > currentBatchDay) {
    return {
      ok: false,
      message: `start_day_interval (${startDayInterval}) is after current_batch_day (${currentBatchDay}); give a start day on or before it, or a number of days back.`,
    };
  }
  return { ok: true, fromDay: Math.max(0, fromDay), toDay: currentBatchDay };
}
