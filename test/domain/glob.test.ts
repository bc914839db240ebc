import { isGlob, matchesGlob } from '../../src/domain/glob';

describe('matchesGlob', () => {
  it.each([
    ['alice', 'alice', true],
    ['alice', 'alicex', false],
    ['alice', 'Alice', false],
    ['svc-*', 'svc-ci', true],
    ['svc-*', 'svc-', true],
    ['svc-*', 'svc', false],
    ['svc-*', 'SVC-ci', false],
    ['*', '', true],
    ['*', 'anything', true],
    ['', '', true],
    ['', 'a', false],
    ['*-ci', 'deploy-ci', true],
    ['*-ci', 'deploy-cix', false],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'aXXbYYc', true],
    ['a*b*c', 'aXXbYY', false],
    ['a*a*a*b', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', false],
    ['**', 'x', true],
    ['?', 'a', true],
    ['?', '', false],
    ['?', 'ab', false],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['?*', '', false],
    // Characters that are special in regexes are literal here.
    ['a.b@example.com', 'a.b@example.com', true],
    ['a.b@example.com', 'aXb@example.com', false],
    ['svc+ci', 'svc+ci', true],
    ['svc+ci', 'svcci', false],
    ['svc+ci', 'svcccci', false],
    ['x,y', 'x,y', true],
    ['a=b', 'a=b', true],
    ['*@example.com', 'bob@example.com', true],
    ['*@example.com', 'bob@exampleXcom', false],
    ['team_?-*', 'team_a-svc', true],
  ])('%j matches %j: %p', (pattern, name, expected) => {
    expect(matchesGlob(pattern, name)).toBe(expected);
  });
});

describe('isGlob', () => {
  it.each([
    ['alice', false],
    ['a.b@example.com', false],
    ['svc-*', true],
    ['a?c', true],
  ])('%j: %p', (pattern, expected) => {
    expect(isGlob(pattern)).toBe(expected);
  });
});
