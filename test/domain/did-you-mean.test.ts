import { closestWord, editDistance } from '../../src/domain/did-you-mean';

const SUBCOMMANDS = ['summary', 'scan', 'help'] as const;

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['', 'scan', 4],
    ['scan', 'scan', 0],
    ['scna', 'scan', 1], // adjacent transposition is one edit
    ['sacn', 'scan', 1],
    ['sumary', 'summary', 1],
    ['summray', 'summary', 1],
    ['kitten', 'sitting', 3],
    ['ca', 'abc', 3], // optimal string alignment: no edits inside a transposed pair
    ['hlep', 'help', 1],
    ['😀a', 'a😀', 1], // code points, not UTF-16 units
  ])('%j → %j is %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe('closestWord', () => {
  it.each<[string, string | null]>([
    ['sumary', 'summary'],
    ['SUMMARY', 'summary'],
    ['Sumary', 'summary'],
    ['summery', 'summary'],
    ['sumry', 'summary'], // 2 edits, 7 letters
    ['scna', 'scan'],
    ['SCNA', 'scan'],
    ['scann', 'scan'],
    ['hlep', 'help'],
    ['hepl', 'help'],
    ['halp', 'help'],
    ['x', null], // 4 edits from scan, and 1 letter is never "close"
    ['sam', null], // 2 edits from scan, but that is half its length
    ['alice', null],
    ['bob', null],
    ['scanner', null],
    ['summarize', null], // 3 edits
    ['', null],
  ])('%j → %j', (input, expected) => {
    expect(closestWord(input, SUBCOMMANDS)).toBe(expected);
  });

  it('returns the candidate as given, not lowercased', () => {
    expect(closestWord('scna', ['Scan'])).toBe('Scan');
  });

  it('breaks ties in favour of the earlier candidate', () => {
    expect(closestWord('cat', ['bat', 'cap'])).toBe('bat');
    expect(closestWord('cat', ['cap', 'bat'])).toBe('cap');
  });

  it('prefers the nearer candidate over an earlier, farther one', () => {
    expect(closestWord('scam', ['scamper', 'scan'])).toBe('scan');
  });

  it('honours a smaller maxDistance', () => {
    expect(closestWord('sumry', SUBCOMMANDS, 1)).toBeNull();
    expect(closestWord('sumary', SUBCOMMANDS, 1)).toBe('summary');
    expect(closestWord('summary', SUBCOMMANDS, 0)).toBe('summary');
  });

  it('keeps the half-length rule even with a larger maxDistance', () => {
    expect(closestWord('x', SUBCOMMANDS, 10)).toBeNull();
  });

  it('returns null with no candidates', () => {
    expect(closestWord('scan', [])).toBeNull();
  });
});
