import { ALL_TIER_CODES, bracketBirthdaysOn, TIER_CODES, TierInputs, tierCodeAt, tierCodeOn } from './tiers';

const profile = (overrides: Partial<TierInputs> = {}): TierInputs => ({
  dateOfBirth: '1990-06-15',
  biologicalSex: 'male',
  fitnessLevel: 'intermediate',
  openTierOptIn: false,
  ...overrides,
});

describe('tiers', () => {
  it('has 30 demographic codes plus OPEN', () => {
    expect(TIER_CODES).toHaveLength(30);
    expect(new Set(TIER_CODES).size).toBe(30);
    expect(ALL_TIER_CODES).toContain('OPEN');
    expect(TIER_CODES).toContain('F-60+-ADV');
  });

  it.each([
    ['2008-06-15', '2026-06-15', 'M-18-29-INT'],
    ['1996-06-15', '2026-06-14', 'M-18-29-INT'],
    ['1996-06-15', '2026-06-15', 'M-30-39-INT'],
    ['1986-06-15', '2026-06-15', 'M-40-49-INT'],
    ['1976-06-15', '2026-06-15', 'M-50-59-INT'],
    ['1967-06-15', '2026-06-15', 'M-50-59-INT'],
    ['1966-06-15', '2026-06-15', 'M-60+-INT'],
    ['1930-01-01', '2026-06-15', 'M-60+-INT'],
  ])('born %s is in the right bracket on %s', (dateOfBirth, today, code) => {
    expect(tierCodeOn(profile({ dateOfBirth }), today)).toBe(code);
  });

  it('codes sex and fitness level', () => {
    expect(tierCodeOn(profile({ biologicalSex: 'female', fitnessLevel: 'beginner' }), '2026-01-01')).toBe(
      'F-30-39-BEG',
    );
    expect(tierCodeOn(profile({ fitnessLevel: 'advanced' }), '2026-01-01')).toBe('M-30-39-ADV');
  });

  it('is OPEN when opted in, even without sex or fitness level', () => {
    expect(tierCodeOn(profile({ openTierOptIn: true, biologicalSex: null }), '2026-01-01')).toBe('OPEN');
  });

  it('is null while sex or fitness level is missing, or under 18', () => {
    expect(tierCodeOn(profile({ biologicalSex: null }), '2026-01-01')).toBeNull();
    expect(tierCodeOn(profile({ fitnessLevel: null }), '2026-01-01')).toBeNull();
    expect(tierCodeOn(profile({ dateOfBirth: '2008-11-23' }), '2026-11-22')).toBeNull();
  });

  it('counts the birthday in the competition time zone', () => {
    const turning30 = profile({ dateOfBirth: '1996-06-15' });
    // 02:00 UTC on the 15th is still the 14th in New York.
    expect(tierCodeAt(turning30, new Date('2026-06-15T02:00:00Z'), 'America/New_York')).toBe('M-18-29-INT');
    expect(tierCodeAt(turning30, new Date('2026-06-15T04:00:00Z'), 'America/New_York')).toBe('M-30-39-INT');
  });
});

describe('bracketBirthdaysOn', () => {
  it('names the dates of birth that turn 30, 40, 50 or 60 on a day', () => {
    expect(bracketBirthdaysOn('2026-01-15')).toEqual([
      '1996-01-15',
      '1986-01-15',
      '1976-01-15',
      '1966-01-15',
    ]);
  });

  it('counts a 29 February birthday on 1 March outside leap years, and on the day in leap years', () => {
    expect(bracketBirthdaysOn('2026-03-01')).toEqual([
      '1996-03-01',
      '1996-02-29',
      '1986-03-01',
      '1976-03-01',
      '1976-02-29',
      '1966-03-01',
    ]);
    expect(bracketBirthdaysOn('2028-02-29')).toEqual(['1988-02-29', '1968-02-29']);
    expect(bracketBirthdaysOn('2028-03-01')).toEqual([
      '1998-03-01',
      '1988-03-01',
      '1978-03-01',
      '1968-03-01',
    ]);
  });
});
