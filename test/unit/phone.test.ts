// Phone numbers as people type them (signup's choose step) and as the bot shows them.
import { describe, expect, it } from 'vitest';
import { formatTel, parseSearch, toE164 } from '../../src/domain/phone.js';

describe('toE164', () => {
  it.each([
    ['416-555-0100', '+14165550100'],
    ['1 (416) 555 0100', '+14165550100'],
    ['+14165550100', '+14165550100'],
    ['(416) 555-0100', '+14165550100'],
    ['416.555.0100', '+14165550100'],
    ['  4165550100  ', '+14165550100'],
    ['1-416-555-0100', '+14165550100'],
    ['+44 20 7946 0958', '+442079460958'],
  ])('reads %j as %s', (typed, e164) => {
    expect(toE164(typed)).toBe(e164);
  });

  it.each([
    ['letters', '416-555-CALL'],
    ['a city', 'Toronto'],
    ['a short local number', '555-0100'],
    ['an area code', '416'],
    ['11 digits not starting with 1', '24165550100'],
    ['12 digits without +', '114165550100'],
    ['a short international number', '+1234567'],
    ['too long for E.164', '+1234567890123456'],
    ['empty', ''],
    ['a plus in the middle', '416+5550100'],
  ])('rejects %s (%j)', (_what, typed) => {
    expect(toE164(typed)).toBeUndefined();
  });
});

describe('formatTel', () => {
  it('groups a North American number', () => {
    expect(formatTel('+14165550100')).toBe('+1 416 555 0100');
  });
  it('leaves other numbers as they are', () => {
    expect(formatTel('+442079460958')).toBe('+442079460958');
    expect(formatTel('+1416555010')).toBe('+1416555010');
  });
  it('shows what toE164 read the way a person wrote it', () => {
    expect(formatTel(toE164('1 (416) 555 0100')!)).toBe('+1 416 555 0100');
  });
});

describe('parseSearch', () => {
  it('reads three digits as a North American area code', () => {
    expect(parseSearch('416')).toStrictEqual({ by: 'tel', prefix: '+1416', text: '416' });
  });

  it('reads +digits as a number prefix', () => {
    expect(parseSearch('+1416')).toStrictEqual({ by: 'tel', prefix: '+1416', text: '+1416' });
    expect(parseSearch(' +1416555 ')).toStrictEqual({ by: 'tel', prefix: '+1416555', text: '+1416555' });
  });

  it('reads words as a place, matched without regard to case or accents', () => {
    expect(parseSearch('Toronto')).toStrictEqual({ by: 'place', prefix: 'toronto', text: 'Toronto' });
    expect(parseSearch('Montréal')).toStrictEqual({ by: 'place', prefix: 'montreal', text: 'Montréal' });
    expect(parseSearch('MONTREAL')).toStrictEqual({ by: 'place', prefix: 'montreal', text: 'MONTREAL' });
    expect(parseSearch('Trois-Rivières')).toMatchObject({ prefix: 'trois-rivieres' });
    expect(parseSearch("St. John's")).toStrictEqual({ by: 'place', prefix: "st. john's", text: "St. John's" });
    expect(parseSearch('Niagara-on-the-Lake')).toMatchObject({ by: 'place', prefix: 'niagara-on-the-lake' });
  });

  it.each(['', '   ', '41', '4165', '+', '+1-416', '416abc', '!!!', '<Toronto>', '-Toronto'])('gives undefined for %j', (typed) => {
    expect(parseSearch(typed)).toBeUndefined();
  });
});
