import { passwordProblems } from './password-rules';

describe('passwordProblems', () => {
  it('accepts 12+ characters with upper, lower, digit and symbol', () => {
    expect(passwordProblems('Correct-Horse-42')).toEqual([]);
    expect(passwordProblems('Abcdefgh1!23')).toEqual([]);
  });

  it('names every broken rule', () => {
    expect(passwordProblems('weak')).toEqual([
      'at least 12 characters',
      'an upper-case letter',
      'a digit',
      'a symbol',
    ]);
    expect(passwordProblems('abcdefghijk1!')).toEqual(['an upper-case letter']);
    expect(passwordProblems('ABCDEFGHIJK1!')).toEqual(['a lower-case letter']);
    expect(passwordProblems('Abcdefghijkl!')).toEqual(['a digit']);
    expect(passwordProblems('Abcdefghijk12')).toEqual(['a symbol']);
    expect(passwordProblems('Abcdefgh1!2')).toEqual(['at least 12 characters']);
  });

  it('counts bytes, not characters, against the 72-byte bcrypt limit', () => {
    expect(passwordProblems(`Aa1!${'x'.repeat(68)}`)).toEqual([]);
    expect(passwordProblems(`Aa1!${'x'.repeat(69)}`)).toEqual(['at most 72 bytes']);
    // 4 + 35 × 2 bytes = 74 bytes in 39 characters.
    expect(passwordProblems(`Aa1!${'é'.repeat(35)}`)).toEqual(['at most 72 bytes']);
  });
});
