import { parseIsoDate } from '../../src/cli/iso-date';

describe('parseIsoDate', () => {
  it.each([
    ['2026-11-01', '2026-11-01T00:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['2026-11-01T10:00Z', '2026-11-01T10:00:00.000Z'],
    ['2026-11-01T10:00:00Z', '2026-11-01T10:00:00.000Z'],
    ['2026-11-01T10:00:00.5Z', '2026-11-01T10:00:00.500Z'],
    ['2026-11-01T10:00:00.123Z', '2026-11-01T10:00:00.123Z'],
    ['2026-11-01T10:00:00+01:00', '2026-11-01T09:00:00.000Z'],
    ['2026-11-01T10:00:00-05:30', '2026-11-01T15:30:00.000Z'],
    ['2026-11-01T00:30:00+01:00', '2026-10-31T23:30:00.000Z'],
    ['2026-12-31T23:59:59Z', '2026-12-31T23:59:59.000Z'],
    ['0050-01-01', '0050-01-01T00:00:00.000Z'], // not 1950
  ])('%j is %s', (text, iso) => {
    const result = parseIsoDate(text);
    expect(result).toEqual({ ok: true, date: new Date(iso) });
  });

  it.each([
    ['', 'is not an ISO-8601 date or date-time'],
    ['yesterday', 'is not an ISO-8601 date or date-time'],
    ['2026-11', 'is not an ISO-8601 date or date-time'],
    ['2026-11-1', 'is not an ISO-8601 date or date-time'],
    ['11/01/2026', 'is not an ISO-8601 date or date-time'],
    ['2026-11-01 10:00:00Z', 'is not an ISO-8601 date or date-time'],
    ['2026-11-01T10Z', 'is not an ISO-8601 date or date-time'],
    ['2026-11-01T10:00:00.1234Z', 'is not an ISO-8601 date or date-time'],
    ['2026-11-01T10:00:00+0100', 'is not an ISO-8601 date or date-time'],
    ['2026-11-01Z', 'is not an ISO-8601 date or date-time'],
    [' 2026-11-01', 'is not an ISO-8601 date or date-time'],
    ['1762000000', 'is not an ISO-8601 date or date-time'],
    ['2026-11-01T10:00:00', 'has a time but no time zone; add Z for UTC or an offset such as +01:00'],
    ['2026-02-29', 'is not a date that exists'],
    ['2026-02-30', 'is not a date that exists'],
    ['2026-13-01', 'is not a date that exists'],
    ['2026-00-10', 'is not a date that exists'],
    ['2026-11-00', 'is not a date that exists'],
    ['2026-11-01T24:00:00Z', 'is not a date that exists'],
    ['2026-11-01T10:60:00Z', 'is not a date that exists'],
    ['2026-11-01T10:00:60Z', 'is not a date that exists'],
    ['2026-11-01T10:00:00+24:00', 'has an impossible time zone offset'],
    ['2026-11-01T10:00:00+01:60', 'has an impossible time zone offset'],
  ])('%j is refused: %s', (text, problem) => {
    expect(parseIsoDate(text)).toEqual({ ok: false, problem });
  });
});
